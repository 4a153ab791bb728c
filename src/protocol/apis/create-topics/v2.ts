// CreateTopics Request (Version: 2) => [topics] timeout_ms validate_only
//   topics => name num_partitions replication_factor [assignments] [configs]
//     assignments => partition_index [broker_ids]
//     configs => name value
// CreateTopics Response (Version: 2) => throttle_time_ms [topics]
//   topics => name error_code error_message
export { request } from './v1.js';
import { array, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
