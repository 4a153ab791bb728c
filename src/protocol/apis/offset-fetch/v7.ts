// OffsetFetch Request (Version: 7) => group_id [topics] require_stable TAG_BUFFER
//   topics => name [partition_indexes] TAG_BUFFER
// OffsetFetch Response (Version: 7) => throttle_time_ms [topics] error_code TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
export { response } from './v6.js';
import { array, bool, int32, message, nullableArray, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  topics: nullableArray(struct({
    name: string,
    partitionIndexes: array(int32),
  })),
  requireStable: withDefault(bool, false),
});
