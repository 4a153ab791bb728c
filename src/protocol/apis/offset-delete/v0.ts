// OffsetDelete Request (Version: 0) => group_id [topics]
//   topics => name [partitions]
//     partitions => partition_index
// OffsetDelete Response (Version: 0) => error_code throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
    })),
  })),
});
export const response = message(false, {
  errorCode: int16,
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
    })),
  })),
});
