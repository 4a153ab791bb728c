// IncrementalAlterConfigs Request (Version: 0) => [resources] validate_only
//   resources => resource_type resource_name [configs]
//     configs => name config_operation value
// IncrementalAlterConfigs Response (Version: 0) => throttle_time_ms [responses]
//   responses => error_code error_message resource_type resource_name
import { array, bool, int16, int32, int8, message, nullableString, string, struct } from '../../schema.js';

export const request = message(false, {
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configs: array(struct({
      name: string,
      configOperation: int8,
      value: nullableString,
    })),
  })),
  validateOnly: bool,
});
export const response = message(false, {
  throttleTimeMs: int32,
  responses: array(struct({
    errorCode: int16,
    errorMessage: nullableString,
    resourceType: int8,
    resourceName: string,
  })),
});
