// DeleteRecords Request (Version: 0) => [topics] timeout_ms
//   topics => name [partitions]
//     partitions => partition_index offset
// DeleteRecords Response (Version: 0) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index low_watermark error_code
import { array, int16, int32, int64, message, string, struct } from '../../schema.js';

export const request = message(false, {
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      offset: int64,
    })),
  })),
  timeoutMs: int32,
});
export const response = message(false, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      lowWatermark: int64,
      errorCode: int16,
    })),
  })),
});
