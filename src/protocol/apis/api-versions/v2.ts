// ApiVersions Request (Version: 2) => 
// ApiVersions Response (Version: 2) => error_code [api_keys] throttle_time_ms
//   api_keys => api_key min_version max_version
// Same layout as the previous version.
export { request } from './v0.js';
export { response } from './v1.js';
