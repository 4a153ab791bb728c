// AlterConfigs Request (Version: 2) => [resources] validate_only TAG_BUFFER
//   resources => resource_type resource_name [configs] TAG_BUFFER
//     configs => name value TAG_BUFFER
// AlterConfigs Response (Version: 2) => throttle_time_ms [responses] TAG_BUFFER
//   responses => error_code error_message resource_type resource_name TAG_BUFFER
import { array, bool, int16, int32, int8, message, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configs: array(struct({
      name: string,
      value: nullableString,
    })),
  })),
  validateOnly: bool,
});
export const response = message(true, {
  throttleTimeMs: int32,
  responses: array(struct({
    errorCode: int16,
    errorMessage: nullableString,
    resourceType: int8,
    resourceName: string,
  })),
});
