import type { BrokerConfig } from './broker-config.js';
import { ConfigError } from './config-error.js';
import type { ConfigSourceName } from './config-source.js';
import { atLeast, between, def, oneOf, parseConfigValue } from './config-types.js';
import type { ConfigDef, ConfigType, ConfigValue, ConfigValueTypes } from './config-types.js';
import { LONG_MAX_TEXT } from './definitions.js';
import type { BrokerConfigName } from './definitions.js';

type Syn = readonly BrokerConfigName[];
const topic = <T extends ConfigDef>(d: T, brokerSynonyms: Syn) => ({ ...d, dynamic: true, brokerSynonyms });

/**
 * Topic-level configs (Kafka's LogConfig). `brokerSynonyms` are the broker keys that supply the value when the
 * topic does not override it, primary first; `default` is Kafka's topic default, used only without a synonym.
 */
export const TOPIC_CONFIG_DEFINITIONS = {
  'cleanup.policy': topic(def('list', 'delete', 'medium', 'delete and/or compact', { validator: oneOf('compact', 'delete') }), ['log.cleanup.policy']),
  'compression.type': topic(
    def('string', 'producer', 'medium', 'Final compression of the topic', {
      validator: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'),
    }),
    ['compression.type'],
  ),
  'delete.retention.ms': topic(def('long', '86400000', 'medium', 'How long tombstones are kept', { validator: atLeast(0) }), ['log.cleaner.delete.retention.ms']),
  'file.delete.delay.ms': topic(def('long', '60000', 'medium', 'Delay before a deleted segment file is removed', { validator: atLeast(0) }), ['log.segment.delete.delay.ms']),
  'flush.messages': topic(def('long', LONG_MAX_TEXT, 'medium', 'Messages between forced flushes', { validator: atLeast(0) }), ['log.flush.interval.messages']),
  'flush.ms': topic(def('long', LONG_MAX_TEXT, 'medium', 'Time between forced flushes', { validator: atLeast(0) }), [
    'log.flush.interval.ms',
    'log.flush.scheduler.interval.ms',
  ]),
  'follower.replication.throttled.replicas': topic(def('list', '', 'medium', 'Accepted; throttling is not implemented'), []),
  'index.interval.bytes': topic(def('int', '4096', 'medium', 'Bytes between offset index entries', { validator: atLeast(0) }), ['log.index.interval.bytes']),
  'leader.replication.throttled.replicas': topic(def('list', '', 'medium', 'Accepted; throttling is not implemented'), []),
  'max.compaction.lag.ms': topic(def('long', LONG_MAX_TEXT, 'medium', 'Most age of a record before compaction', { validator: atLeast(1) }), ['log.cleaner.max.compaction.lag.ms']),
  'max.message.bytes': topic(def('int', '1048588', 'medium', 'Largest record batch accepted', { validator: atLeast(0) }), ['message.max.bytes']),
  'message.downconversion.enable': topic(def('boolean', 'true', 'low', 'Down-convert for old fetchers'), ['log.message.downconversion.enable']),
  'message.format.version': topic(def('string', '2.8-IV1', 'medium', 'Message format version'), ['log.message.format.version']),
  'message.timestamp.difference.max.ms': topic(
    def('long', LONG_MAX_TEXT, 'medium', 'Max CreateTime skew accepted', { validator: atLeast(0) }),
    ['log.message.timestamp.difference.max.ms'],
  ),
  'message.timestamp.type': topic(
    def('string', 'CreateTime', 'medium', 'CreateTime or LogAppendTime', { validator: oneOf('CreateTime', 'LogAppendTime') }),
    ['log.message.timestamp.type'],
  ),
  'min.cleanable.dirty.ratio': topic(def('double', '0.5', 'medium', 'Dirty ratio that makes the log cleanable', { validator: between(0, 1) }), ['log.cleaner.min.cleanable.ratio']),
  'min.compaction.lag.ms': topic(def('long', '0', 'medium', 'Least age of a record before compaction', { validator: atLeast(0) }), ['log.cleaner.min.compaction.lag.ms']),
  'min.insync.replicas': topic(def('int', '1', 'medium', 'Least ISR size for acks=all produce', { validator: atLeast(1) }), ['min.insync.replicas']),
  preallocate: topic(def('boolean', 'false', 'medium', 'Preallocate segment files'), ['log.preallocate']),
  'retention.bytes': topic(def('long', '-1', 'medium', 'Largest partition size; -1 = unlimited'), ['log.retention.bytes']),
  'retention.ms': topic(def('long', '604800000', 'medium', 'Retention time; -1 = unlimited', { validator: atLeast(-1) }), [
    'log.retention.ms',
    'log.retention.minutes',
    'log.retention.hours',
  ]),
  'segment.bytes': topic(def('int', '1073741824', 'medium', 'Largest segment size', { validator: atLeast(14) }), ['log.segment.bytes']),
  'segment.index.bytes': topic(def('int', '10485760', 'medium', 'Largest offset index size', { validator: atLeast(4) }), ['log.index.size.max.bytes']),
  'segment.jitter.ms': topic(def('long', '0', 'medium', 'Max jitter subtracted from segment.ms', { validator: atLeast(0) }), [
    'log.roll.jitter.ms',
    'log.roll.jitter.hours',
  ]),
  'segment.ms': topic(def('long', '604800000', 'medium', 'Roll a segment after this long', { validator: atLeast(1) }), ['log.roll.ms', 'log.roll.hours']),
  'unclean.leader.election.enable': topic(def('boolean', 'false', 'medium', 'Allow out-of-sync leaders'), ['unclean.leader.election.enable']),
} as const;

export type TopicConfigDefinitions = typeof TOPIC_CONFIG_DEFINITIONS;
export type TopicConfigName = keyof TopicConfigDefinitions;
export type TopicConfigValues = { [K in TopicConfigName]: ConfigValueTypes[TopicConfigDefinitions[K]['type']] };
export const TOPIC_CONFIG_NAMES = Object.keys(TOPIC_CONFIG_DEFINITIONS) as TopicConfigName[];

export function isTopicConfigName(name: string): name is TopicConfigName {
  return Object.hasOwn(TOPIC_CONFIG_DEFINITIONS, name);
}

export interface TopicConfigSynonym {
  name: string;
  value: string | null;
  source: ConfigSourceName;
}

/** One row of ResolvedTopicConfig.describe(), shaped for DescribeConfigs on a TOPIC resource. */
export interface TopicConfigEntry {
  name: TopicConfigName;
  value: string;
  source: Extract<ConfigSourceName, 'TOPIC_CONFIG' | 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG'>;
  isDefault: boolean;
  sensitive: false;
  readOnly: false;
  type: ConfigType;
  documentation: string;
  /** Where the value could come from, highest precedence first (DescribeConfigs v1+ synonyms). */
  synonyms: TopicConfigSynonym[];
}

export interface ResolvedTopicConfig {
  values: TopicConfigValues;
  describe(): TopicConfigEntry[];
}

/** Kafka's text for a typed value; clamped "never" longs print as Long.MAX_VALUE again. */
export function formatConfigValue(type: ConfigType, value: ConfigValue): string {
  if (Array.isArray(value)) return value.join(',');
  if (type === 'long' && value === Number.MAX_SAFE_INTEGER) return LONG_MAX_TEXT;
  return String(value);
}

/** Parses topic configs; throws ConfigError (INVALID_CONFIG) for an unknown name or an invalid value. */
export function parseTopicConfigs(configs: Readonly<Record<string, string>>): Partial<TopicConfigValues> {
  const out: Partial<Record<TopicConfigName, ConfigValue>> = {};
  for (const [name, raw] of Object.entries(configs)) {
    if (!isTopicConfigName(name)) throw new ConfigError(name, `Unknown topic config name: ${name}`);
    out[name] = parseConfigValue(name, TOPIC_CONFIG_DEFINITIONS[name], raw);
  }
  return out as Partial<TopicConfigValues>;
}

/** Throws ConfigError (Kafka: INVALID_CONFIG) for an unknown name or an invalid value. */
export function validateTopicConfigs(configs: Readonly<Record<string, string>>): void {
  parseTopicConfigs(configs);
}

/** The broker-level value of a topic config, with Kafka's fallbacks between synonyms. */
function brokerValue(broker: BrokerConfig, name: TopicConfigName): ConfigValue {
  switch (name) {
    case 'retention.ms':
      return broker.logRetentionMs;
    case 'segment.ms':
      return broker.logRollMs;
    case 'segment.jitter.ms':
      return broker.get('log.roll.jitter.ms') ?? broker.get('log.roll.jitter.hours') * 3_600_000;
    case 'flush.ms':
      return broker.get('log.flush.interval.ms') ?? broker.get('log.flush.scheduler.interval.ms');
    default: {
      const primary = TOPIC_CONFIG_DEFINITIONS[name].brokerSynonyms[0];
      if (primary === undefined) return parseConfigValue(name, TOPIC_CONFIG_DEFINITIONS[name], TOPIC_CONFIG_DEFINITIONS[name].default);
      const v = broker.get(primary);
      if (v === null) throw new Error(`broker config ${primary} has no value`);
      return v;
    }
  }
}

/** The effective configs of a topic: its overrides over the broker's values over Kafka's defaults. */
export function resolveTopicConfig(broker: BrokerConfig, overrides: Readonly<Record<string, string>>): ResolvedTopicConfig {
  const parsed = parseTopicConfigs(overrides) as Partial<Record<TopicConfigName, ConfigValue>>;
  const values = {} as Record<TopicConfigName, ConfigValue>;
  for (const name of TOPIC_CONFIG_NAMES) values[name] = parsed[name] ?? brokerValue(broker, name);
  const describe = (): TopicConfigEntry[] => {
    const brokerRows = new Map(broker.describe().map((e) => [e.name, e]));
    return TOPIC_CONFIG_NAMES.map((name) => {
      const d: ConfigDef & { brokerSynonyms: Syn } = TOPIC_CONFIG_DEFINITIONS[name];
      const synonyms: TopicConfigSynonym[] = [];
      const override = overrides[name];
      if (override !== undefined) synonyms.push({ name, value: override.trim(), source: 'TOPIC_CONFIG' });
      const rows = d.brokerSynonyms.flatMap((syn) => brokerRows.get(syn) ?? []);
      for (const row of rows) {
        if (!row.isDefault) synonyms.push({ name: row.name, value: row.value, source: 'STATIC_BROKER_CONFIG' });
      }
      const fallback = rows.find((row) => row.isDefault && row.value !== null);
      if (fallback !== undefined) synonyms.push({ name: fallback.name, value: fallback.value, source: 'DEFAULT_CONFIG' });
      const source: TopicConfigEntry['source'] =
        override !== undefined ? 'TOPIC_CONFIG' : d.brokerSynonyms.some((s) => broker.isSet(s)) ? 'STATIC_BROKER_CONFIG' : 'DEFAULT_CONFIG';
      return {
        name,
        value: formatConfigValue(d.type, values[name]),
        source,
        isDefault: source === 'DEFAULT_CONFIG',
        sensitive: false,
        readOnly: false,
        type: d.type,
        documentation: d.doc,
        synonyms,
      };
    });
  };
  return { values: values as TopicConfigValues, describe };
}
