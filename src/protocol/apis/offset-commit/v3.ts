// OffsetCommit Request (Version: 3) => group_id generation_id member_id retention_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_metadata
// OffsetCommit Response (Version: 3) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
export { request } from './v2.js';
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
    })),
  })),
});
