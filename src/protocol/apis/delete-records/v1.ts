// DeleteRecords Request (Version: 1) => [topics] timeout_ms
//   topics => name [partitions]
//     partitions => partition_index offset
// DeleteRecords Response (Version: 1) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index low_watermark error_code
// Same layout as the previous version.
export { request, response } from './v0.js';
