// OffsetFetch Request (Version: 4) => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response (Version: 4) => throttle_time_ms [topics] error_code
//   topics => name [partitions]
//     partitions => partition_index committed_offset metadata error_code
// Same layout as the previous version.
export { request } from './v2.js';
export { response } from './v3.js';
