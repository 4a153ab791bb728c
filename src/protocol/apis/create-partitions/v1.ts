// CreatePartitions Request (Version: 1) => [topics] timeout_ms validate_only
//   topics => name count [assignments]
//     assignments => [broker_ids]
// CreatePartitions Response (Version: 1) => throttle_time_ms [results]
//   results => name error_code error_message
// Same layout as the previous version.
export { request, response } from './v0.js';
