// DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
//   resources => resource_type resource_name [configuration_keys]
// DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
//   results => error_code error_message resource_type resource_name [configs]
//     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
//       synonyms => name value source
import { array, bool, int16, int32, int8, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  resources: array(struct({
    resourceType: int8,
    resourceName: string,
    configurationKeys: nullableArray(string),
  })),
  includeSynonyms: withDefault(bool, false),
  includeDocumentation: withDefault(bool, false),
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
