// JoinGroup Request (Version: 3) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response (Version: 3) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   members => member_id metadata
// Same layout as the previous version.
export { request } from './v1.js';
export { response } from './v2.js';
