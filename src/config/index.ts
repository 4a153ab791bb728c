// Public surface of the configuration module.
export { BrokerConfig, BROKER_CONFIG_NAMES } from './broker-config.js';
export type { BrokerConfigEntry, BrokerConfigOptions, BrokerConfigSetting, ConfigOrigin, LogLevelName } from './broker-config.js';
export { ConfigError } from './config-error.js';
export { CONFIG_SOURCE, DESCRIBE_CONFIG_TYPE } from './config-source.js';
export type { ConfigSourceName, DescribeConfigTypeName } from './config-source.js';
export { CONFIG_TYPES, parseConfigValue } from './config-types.js';
export type { ConfigDef, ConfigType, ConfigValue, ConfigValueTypes, Validator } from './config-types.js';
export {
  BROKER_CONFIG_DEFINITIONS,
  LONG_MAX_TEXT,
  brokerConfigDefinition,
  brokerConfigDefinitions,
  isBrokerConfigName,
} from './definitions.js';
export type { BrokerConfigName, ValueOf } from './definitions.js';
export { configFromEnv, configNameToEnvVar, envVarToConfigName, NON_CONFIG_KAFKA_ENV } from './env.js';
export { formatHostPort, parseListeners, parseSecurityProtocolMap, SECURITY_PROTOCOLS } from './listeners.js';
export type { Listener, SecurityProtocol } from './listeners.js';
export { loadBrokerConfig, parseOverride } from './load-broker-config.js';
export type { LoadBrokerConfigOptions } from './load-broker-config.js';
export { formatProperties, parseProperties, parsePropertiesMap, readPropertiesFile } from './properties-file.js';
export type { PropertyEntry } from './properties-file.js';
export {
  formatConfigValue,
  isTopicConfigName,
  parseTopicConfigs,
  resolveTopicConfig,
  TOPIC_CONFIG_DEFINITIONS,
  TOPIC_CONFIG_NAMES,
  validateTopicConfigs,
} from './topic-config.js';
export type { ResolvedTopicConfig, TopicConfigEntry, TopicConfigName, TopicConfigSynonym, TopicConfigValues } from './topic-config.js';
