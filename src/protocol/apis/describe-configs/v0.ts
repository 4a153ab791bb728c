// DescribeConfigs Request (Version: 0) => [resources]
//   resources => resource_type resource_name [configuration_keys]
// DescribeConfigs Response (Version: 0) => throttle_time_ms [results]
//   results => error_code error_message resource_type resource_name [configs]
//     configs => name value read_only is_default is_sensitive
import { array, bool, int16, int32, int8, message, nullableArray, nullableString, string, struct } from '../../schema.js';

export const request = message(false, {
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configurationKeys: nullableArray(string),
  })),
});
export const response = message(false, {
  throttleTimeMs: int32,
  results: array(struct({
    errorCode: int16,
    errorMessage: nullableString,
    resourceType: int8,
    resourceName: string,
    configs: array(struct({
      name: string,
      value: nullableString,
      readOnly: bool,
      isDefault: bool,
      isSensitive: bool,
    })),
  })),
});
