// ListOffsets Request (Version: 7) => replica_id isolation_level [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index current_leader_epoch timestamp TAG_BUFFER
// ListOffsets Response (Version: 7) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index error_code timestamp offset leader_epoch TAG_BUFFER
// Same layout as the previous version.
export { request, response } from './v6.js';
