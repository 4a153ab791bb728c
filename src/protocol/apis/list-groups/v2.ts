// ListGroups Request (Version: 2) => 
// ListGroups Response (Version: 2) => throttle_time_ms error_code [groups]
//   groups => group_id protocol_type
// Same layout as version 0.
export { request, response } from './v0.js';
