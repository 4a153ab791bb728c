// OffsetCommit Request (Version: 2) => group_id generation_id member_id retention_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_metadata
// OffsetCommit Response (Version: 2) => [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
import { array, int16, int32, int64, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: withDefault(int32, -1),
  memberId: string,
  retentionTimeMs: withDefault(int64, -1n),
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      committedOffset: int64,
      committedMetadata: nullableString,
    })),
  })),
});
export const response = message(false, {
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
    })),
  })),
});
