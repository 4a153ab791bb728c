// DeleteGroups Request (Version: 1) => [groups_names]
// DeleteGroups Response (Version: 1) => throttle_time_ms [results]
//   results => group_id error_code
// Same layout as the previous version.
export { request, response } from './v0.js';
