// CreateTopics Request (Version: 4) => [topics] timeout_ms validate_only
//   topics => name num_partitions replication_factor [assignments] [configs]
//     assignments => partition_index [broker_ids]
//     configs => name value
// CreateTopics Response (Version: 4) => throttle_time_ms [topics]
//   topics => name error_code error_message
// Same layout as the previous version.
export { request } from './v1.js';
export { response } from './v2.js';
