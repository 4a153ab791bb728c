// DescribeGroups Request (Version: 2) => [groups]
// DescribeGroups Response (Version: 2) => throttle_time_ms [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     members => member_id client_id client_host member_metadata member_assignment
// Same layout as the previous version.
export { request } from './v0.js';
export { response } from './v1.js';
