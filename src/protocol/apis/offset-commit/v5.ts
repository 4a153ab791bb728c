// OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_metadata
// OffsetCommit Response (Version: 5) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
export { response } from './v3.js';
import { array, int32, int64, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: withDefault(int32, -1),
  memberId: string,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      committedOffset: int64,
      committedMetadata: nullableString,
    })),
  })),
});
