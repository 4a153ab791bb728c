// DeleteRecords Request (Version: 2) => [topics] timeout_ms TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index offset TAG_BUFFER
// DeleteRecords Response (Version: 2) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index low_watermark error_code TAG_BUFFER
import { array, int16, int32, int64, message, string, struct } from '../../schema.js';

export const request = message(true, {
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      offset: int64,
    })),
  })),
  timeoutMs: int32,
});
export const response = message(true, {
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
