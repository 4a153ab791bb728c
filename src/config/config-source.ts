/**
 * DescribeConfigs `config_source` ids (DescribeConfigsResponse.ConfigSource in apache/kafka).
 * TOPIC_CONFIG is what the admin client calls DYNAMIC_TOPIC_CONFIG.
 */
export const CONFIG_SOURCE = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
} as const;
export type ConfigSourceName = keyof typeof CONFIG_SOURCE;

/** DescribeConfigs v3+ `config_type` ids (DescribeConfigsResponse.ConfigType in apache/kafka). */
export const DESCRIBE_CONFIG_TYPE = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type DescribeConfigTypeName = keyof typeof DESCRIBE_CONFIG_TYPE;
