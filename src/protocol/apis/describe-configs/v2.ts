// DescribeConfigs Request (Version: 2) => [resources] include_synonyms
//   resources => resource_type resource_name [configuration_keys]
// DescribeConfigs Response (Version: 2) => throttle_time_ms [results]
//   results => error_code error_message resource_type resource_name [configs]
//     configs => name value read_only config_source is_sensitive [synonyms]
//       synonyms => name value source
// Same layout as the previous version.
export { request, response } from './v1.js';
