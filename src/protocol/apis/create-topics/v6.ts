// CreateTopics Request (Version: 6) => [topics] timeout_ms validate_only TAG_BUFFER
//   topics => name num_partitions replication_factor [assignments] [configs] TAG_BUFFER
//     assignments => partition_index [broker_ids] TAG_BUFFER
//     configs => name value TAG_BUFFER
// CreateTopics Response (Version: 6) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name error_code error_message num_partitions replication_factor [configs] TAG_BUFFER
//     configs => name value read_only config_source is_sensitive TAG_BUFFER
// Same layout as the previous version.
export { request, response } from './v5.js';
