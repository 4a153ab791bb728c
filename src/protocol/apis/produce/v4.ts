// Produce Request (Version: 4) => transactional_id acks timeout_ms [topic_data]
//   topic_data => name [partition_data]
//     partition_data => index records
// Produce Response (Version: 4) => [responses] throttle_time_ms
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms
// Same layout as the previous version.
export { request, response } from './v3.js';
