// Fetch Request (Version: 6) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   topics => topic [partitions]
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
// Fetch Response (Version: 6) => throttle_time_ms [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
//       aborted_transactions => producer_id first_offset
// Same layout as the previous version.
export { request, response } from './v5.js';
