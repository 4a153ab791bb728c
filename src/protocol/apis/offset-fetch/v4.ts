// OffsetFetch Request (Version: 4) => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response (Version: 4) => throttle_time_ms [topics] error_code
//   topics => name [partitions]
//     partitions => partition_index committed_offset metadata error_code
// Same layout as version 2.
export { request, response } from './v2.js';
