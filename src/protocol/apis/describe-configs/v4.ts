// DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation TAG_BUFFER
//   resources => resource_type resource_name [configuration_keys] TAG_BUFFER
// DescribeConfigs Response (Version: 4) => throttle_time_ms [results] TAG_BUFFER
//   results => error_code error_message resource_type resource_name [configs] TAG_BUFFER
//     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation TAG_BUFFER
//       synonyms => name value source TAG_BUFFER
import { array, bool, int16, int32, int8, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configurationKeys: nullableArray(string),
  })),
  includeSynonyms: withDefault(bool, false),
  includeDocumentation: withDefault(bool, false),
});
export const response = message(true, {
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
      configSource: withDefault(int8, -1),
      isSensitive: bool,
      synonyms: array(struct({
        name: string,
        value: nullableString,
        source: int8,
      })),
      configType: withDefault(int8, 0),
      documentation: nullableString,
    })),
  })),
});
