// DeleteTopics Request (Version: 3) => [topic_names] timeout_ms
// DeleteTopics Response (Version: 3) => throttle_time_ms [responses]
//   responses => name error_code
// Same layout as the previous version.
export { request } from './v0.js';
export { response } from './v1.js';
