// OffsetCommit Request (Version: 8) => group_id generation_id member_id group_instance_id [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata TAG_BUFFER
// OffsetCommit Response (Version: 8) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index error_code TAG_BUFFER
import { array, int16, int32, int64, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  generationId: withDefault(int32, -1),
  memberId: string,
  groupInstanceId: nullableString,
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
export const response = message(true, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
    })),
  })),
});
