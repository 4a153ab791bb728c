// Fetch Request (Version: 8) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   topics => topic [partitions]
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
//   forgotten_topics_data => topic [partitions]
// Fetch Response (Version: 8) => throttle_time_ms error_code session_id [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
//       aborted_transactions => producer_id first_offset
// Same layout as the previous version.
export { request, response } from './v7.js';
