// FindCoordinator Request (Version: 2) => key key_type
// FindCoordinator Response (Version: 2) => throttle_time_ms error_code error_message node_id host port
// Same layout as the previous version.
export { request, response } from './v1.js';
