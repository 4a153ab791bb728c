// OffsetCommit Request (Version: 4) => group_id generation_id member_id retention_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index committed_offset committed_metadata
// OffsetCommit Response (Version: 4) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code
// Same layout as version 2.
export { request, response } from './v2.js';
