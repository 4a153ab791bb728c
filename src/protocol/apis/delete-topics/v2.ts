// DeleteTopics Request (Version: 2) => [topic_names] timeout_ms
// DeleteTopics Response (Version: 2) => throttle_time_ms [responses]
//   responses => name error_code
// Same layout as version 0.
export { request, response } from './v0.js';
