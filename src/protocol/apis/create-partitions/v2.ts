// CreatePartitions Request (Version: 2) => [topics] timeout_ms validate_only TAG_BUFFER
//   topics => name count [assignments] TAG_BUFFER
//     assignments => [broker_ids] TAG_BUFFER
// CreatePartitions Response (Version: 2) => throttle_time_ms [results] TAG_BUFFER
//   results => name error_code error_message TAG_BUFFER
import { array, bool, int16, int32, message, nullableArray, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
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
export const response = message(true, {
  throttleTimeMs: int32,
  results: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
