// Heartbeat Request (Version: 2) => group_id generation_id member_id
// Heartbeat Response (Version: 2) => throttle_time_ms error_code
// Same layout as the previous version.
export { request } from './v0.js';
export { response } from './v1.js';
