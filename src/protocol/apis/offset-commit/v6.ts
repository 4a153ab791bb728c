// OffsetCommit Request (Version: 6) => group_id generation_id member_id [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
// OffsetCommit Response (Version: 6) => throttle_time_ms [topics]
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
      committedLeaderEpoch: withDefault(int32, -1),
      committedMetadata: nullableString,
    })),
  })),
});
