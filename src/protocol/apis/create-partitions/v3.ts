// CreatePartitions Request (Version: 3) => [topics] timeout_ms validate_only TAG_BUFFER
//   topics => name count [assignments] TAG_BUFFER
//     assignments => [broker_ids] TAG_BUFFER
// CreatePartitions Response (Version: 3) => throttle_time_ms [results] TAG_BUFFER
//   results => name error_code error_message TAG_BUFFER
// Same layout as the previous version.
export { request, response } from './v2.js';
