// CreatePartitions Request (Version: 0) => [topics] timeout_ms validate_only
//   topics => name count [assignments]
//     assignments => [broker_ids]
// CreatePartitions Response (Version: 0) => throttle_time_ms [results]
//   results => name error_code error_message
import { array, bool, int16, int32, message, nullableArray, nullableString, string, struct } from '../../schema.js';

export const request = message(false, {
  topics: array(struct({
    name: string,
    count: int32,
    assignments: nullableArray(struct({
      brokerIds: array(int32),
    })),
  })),
  timeoutMs: int32,
  validateOnly: bool,
});
export const response = message(false, {
  throttleTimeMs: int32,
  results: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
