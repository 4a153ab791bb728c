// Metadata Request (Version: 6) => [topics] allow_auto_topic_creation
//   topics => name
// Metadata Response (Version: 6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   brokers => node_id host port rack
//   topics => error_code name is_internal [partitions]
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
// Same layout as the previous version.
export { request } from './v4.js';
export { response } from './v5.js';
