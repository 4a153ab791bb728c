// OffsetCommit Request (Version: 4) => group_id generation_id member_id retention_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_metadata
// OffsetCommit Response (Version: 4) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
// Same layout as the previous version.
export { request } from './v2.js';
export { response } from './v3.js';
