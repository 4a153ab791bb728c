// ListOffsets Request (Version: 5) => replica_id isolation_level [topics]
//   topics => name [partitions]
//     partitions => partition_index current_leader_epoch timestamp
// ListOffsets Response (Version: 5) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code timestamp offset leader_epoch
// Same layout as the previous version.
export { request, response } from './v4.js';
