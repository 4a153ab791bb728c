// OffsetFetch Request (Version: 3) => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response (Version: 3) => throttle_time_ms [topics] error_code
//   topics => name [partitions]
//     partitions => partition_index committed_offset metadata error_code
export { request } from './v2.js';
import { array, int16, int32, int64, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      committedOffset: int64,
      metadata: nullableString,
      errorCode: int16,
    })),
  })),
  errorCode: withDefault(int16, 0),
});
