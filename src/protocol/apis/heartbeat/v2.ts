// Heartbeat Request (Version: 2) => group_id generation_id member_id
// Heartbeat Response (Version: 2) => throttle_time_ms error_code
// Same layout as version 0.
export { request, response } from './v0.js';
