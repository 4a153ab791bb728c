// OffsetFetch Request (Version: 5) => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
export { request } from './v2.js';
import { array, int16, int32, int64, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      committedOffset: int64,
      committedLeaderEpoch: withDefault(int32, -1),
      metadata: nullableString,
      errorCode: int16,
    })),
  })),
  errorCode: withDefault(int16, 0),
});
