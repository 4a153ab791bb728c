// ListGroups Request (Version: 2) => 
// ListGroups Response (Version: 2) => throttle_time_ms error_code [groups]
//   groups => group_id protocol_type
// Same layout as the previous version.
export { request } from './v0.js';
export { response } from './v1.js';
