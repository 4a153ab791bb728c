// ListOffsets Request (Version: 3) => replica_id isolation_level [topics]
//   topics => name [partitions]
//     partitions => partition_index timestamp
// ListOffsets Response (Version: 3) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code timestamp offset
// Same layout as the previous version.
export { request, response } from './v2.js';
