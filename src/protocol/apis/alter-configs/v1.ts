// AlterConfigs Request (Version: 1) => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name value
// AlterConfigs Response (Version: 1) => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
// Same layout as the previous version.
export { request, response } from './v0.js';
