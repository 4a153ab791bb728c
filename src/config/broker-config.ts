import { hostname as osHostname } from 'node:os';
import { ConfigError } from './config-error.js';
import type { ConfigSourceName } from './config-source.js';
import { parseConfigValue } from './config-types.js';
import type { ConfigType, ConfigValue } from './config-types.js';
import { BROKER_CONFIG_DEFINITIONS, brokerConfigDefinition, brokerConfigDefinitions } from './definitions.js';
import type { BrokerConfigName, ValueOf } from './definitions.js';
import { parseListeners, parseSecurityProtocolMap } from './listeners.js';
import type { Listener } from './listeners.js';

/** Where an explicitly set value came from (all of them are STATIC_BROKER_CONFIG to Kafka clients). */
export type ConfigOrigin = 'file' | 'env' | 'override';

export interface BrokerConfigSetting {
  value: string;
  origin: ConfigOrigin;
  /** The file path or environment variable it came from, for error messages. */
  from?: string;
}

export interface BrokerConfigOptions {
  /** Replaces an empty advertised host; defaults to os.hostname(). */
  hostname?: string;
}

/** One row of BrokerConfig.describe(), shaped for DescribeConfigs. */
export interface BrokerConfigEntry {
  name: BrokerConfigName;
  /** The configured or default value as text; null when sensitive or when unset without a default. */
  value: string | null;
  source: Extract<ConfigSourceName, 'STATIC_BROKER_CONFIG' | 'DEFAULT_CONFIG'>;
  isDefault: boolean;
  sensitive: boolean;
  readOnly: boolean;
  type: ConfigType;
  documentation: string;
}

export type LogLevelName = 'error' | 'warn' | 'info' | 'debug';

const NON_ROUTABLE_HOSTS = new Set(['0.0.0.0', '::']);

function describeOrigin(name: string, setting: BrokerConfigSetting): string {
  if (setting.origin === 'env') return ` (from environment variable ${setting.from ?? ''})`.replace(' )', ')');
  if (setting.origin === 'file') return setting.from === undefined ? ' (from the config file)' : ` (in ${setting.from})`;
  return ` (from --override ${name}=...)`;
}

/** A validated, typed broker configuration. Construction throws ConfigError on any unknown, invalid or missing key. */
export class BrokerConfig {
  #settings: ReadonlyMap<BrokerConfigName, BrokerConfigSetting>;
  #values = new Map<BrokerConfigName, ConfigValue | null>();
  readonly brokerId: number;
  readonly listeners: readonly Listener[];
  /** Listeners published in ZooKeeper and Metadata; an empty host became the machine's hostname. */
  readonly advertisedListeners: readonly Listener[];
  readonly interBrokerListenerName: string;
  readonly logDirs: readonly string[];
  readonly zookeeperConnect: string;
  readonly zookeeperSessionTimeoutMs: number;
  /** zookeeper.connection.timeout.ms, or the session timeout when unset (Kafka's rule). */
  readonly zookeeperConnectionTimeoutMs: number;
  /** log.retention.ms, else .minutes, else .hours, in ms; any negative value is -1 (unlimited). */
  readonly logRetentionMs: number;
  /** log.roll.ms, else log.roll.hours, in ms. */
  readonly logRollMs: number;
  readonly clusterSecret: string | null;
  readonly logLevel: LogLevelName;

  constructor(settings: ReadonlyMap<string, BrokerConfigSetting>, options: BrokerConfigOptions = {}) {
    const known = new Map<BrokerConfigName, BrokerConfigSetting>();
    for (const [name, setting] of settings) {
      const definition = brokerConfigDefinition(name);
      if (definition === undefined) {
        throw new ConfigError(name, `Unknown configuration '${name}'${describeOrigin(name, setting)}`);
      }
      known.set(name as BrokerConfigName, setting);
    }
    this.#settings = known;
    for (const d of brokerConfigDefinitions()) {
      const raw = known.get(d.name)?.value ?? d.default;
      if (raw === null && d.required) {
        throw new ConfigError(d.name, `Missing required configuration "${d.name}" which has no default value.`);
      }
      this.#values.set(d.name, raw === null ? null : parseConfigValue(d.name, d, raw));
    }

    this.brokerId = this.#brokerId();
    const protocols = parseSecurityProtocolMap('listener.security.protocol.map', this.get('listener.security.protocol.map'));
    this.listeners = parseListeners('listeners', this.get('listeners'), protocols, true);
    this.advertisedListeners = this.#advertised(protocols, options.hostname ?? osHostname());
    this.interBrokerListenerName = this.#interBrokerListener();
    const dirs = (this.get('log.dirs') ?? this.get('log.dir')).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (dirs.length === 0) throw new ConfigError('log.dirs', 'log.dirs (or log.dir) must name at least one directory');
    this.logDirs = dirs;
    this.zookeeperConnect = this.get('zookeeper.connect');
    this.zookeeperSessionTimeoutMs = this.get('zookeeper.session.timeout.ms');
    this.zookeeperConnectionTimeoutMs = this.get('zookeeper.connection.timeout.ms') ?? this.zookeeperSessionTimeoutMs;
    const retention =
      this.get('log.retention.ms') ??
      (this.get('log.retention.minutes') ?? this.get('log.retention.hours') * 60) * 60_000;
    this.logRetentionMs = retention < 0 ? -1 : retention;
    this.logRollMs = this.get('log.roll.ms') ?? this.get('log.roll.hours') * 3_600_000;
    this.clusterSecret = this.get('streamkeeper.cluster.secret');
    this.logLevel = this.get('streamkeeper.log.level') as LogLevelName;
  }

  /** A config from plain key/value pairs (origin `override`); handy in tests. */
  static of(values: Record<string, string>, options: BrokerConfigOptions = {}): BrokerConfig {
    const settings = new Map<string, BrokerConfigSetting>();
    for (const [name, value] of Object.entries(values)) settings.set(name, { value, origin: 'override' });
    return new BrokerConfig(settings, options);
  }

  /** The typed value of `name`: the configured value, else Kafka's default, else null. */
  get<K extends BrokerConfigName>(name: K): ValueOf<K> {
    return this.#values.get(name) as ValueOf<K>;
  }

  /** Whether `name` was set explicitly (file, environment or override) rather than left at its default. */
  isSet(name: BrokerConfigName): boolean {
    return this.#settings.has(name);
  }

  /** STATIC_BROKER_CONFIG when set explicitly, else DEFAULT_CONFIG. */
  sourceOf(name: BrokerConfigName): BrokerConfigEntry['source'] {
    return this.isSet(name) ? 'STATIC_BROKER_CONFIG' : 'DEFAULT_CONFIG';
  }

  /** Where an explicitly set value came from, or undefined for defaults. */
  originOf(name: BrokerConfigName): ConfigOrigin | undefined {
    return this.#settings.get(name)?.origin;
  }

  /** Every broker config, in definition order, as DescribeConfigs reports it. */
  describe(): BrokerConfigEntry[] {
    return brokerConfigDefinitions().map((d) => {
      const setting = this.#settings.get(d.name);
      const text = setting?.value.trim() ?? d.default;
      return {
        name: d.name,
        value: d.sensitive ? null : text,
        source: this.sourceOf(d.name),
        isDefault: setting === undefined,
        sensitive: d.sensitive,
        readOnly: !d.dynamic,
        type: d.type,
        documentation: d.doc,
      };
    });
  }

  #brokerId(): number {
    const id = this.get('broker.id');
    const maxReserved = this.get('reserved.broker.max.id');
    if (this.get('broker.id.generation.enable')) {
      if (id > maxReserved) {
        throw new ConfigError('broker.id', `broker.id ${id} must not exceed reserved.broker.max.id (${maxReserved}) while broker.id.generation.enable is true`);
      }
    } else if (id < 0) {
      throw new ConfigError('broker.id', 'broker.id must be at least 0 when broker.id.generation.enable is false');
    }
    return id;
  }

  #advertised(protocols: ReadonlyMap<string, Listener['securityProtocol']>, hostname: string): Listener[] {
    const text = this.get('advertised.listeners');
    const parsed = text === null ? this.listeners.map((l) => ({ ...l })) : parseListeners('advertised.listeners', text, protocols, false);
    const key = text === null ? 'listeners' : 'advertised.listeners';
    for (const l of parsed) {
      if (NON_ROUTABLE_HOSTS.has(l.host)) {
        throw new ConfigError(key, `${key}: advertised listener ${l.name} cannot use the nonroutable meta-address ${l.host}; set advertised.listeners`);
      }
      if (!this.listeners.some((x) => x.name === l.name)) {
        throw new ConfigError('advertised.listeners', `advertised.listeners: listener name ${l.name} is not defined in listeners`);
      }
      if (l.host === '') l.host = hostname;
    }
    return parsed;
  }

  #interBrokerListener(): string {
    const explicit = this.get('inter.broker.listener.name');
    if (explicit !== null && this.isSet('security.inter.broker.protocol')) {
      throw new ConfigError('inter.broker.listener.name', 'Only one of inter.broker.listener.name and security.inter.broker.protocol should be set.');
    }
    const protocol = this.get('security.inter.broker.protocol');
    const name = explicit?.toUpperCase() ?? this.advertisedListeners.find((l) => l.securityProtocol === protocol)?.name ?? protocol;
    if (!this.advertisedListeners.some((l) => l.name === name)) {
      throw new ConfigError(explicit === null ? 'security.inter.broker.protocol' : 'inter.broker.listener.name',
        `inter-broker listener ${name} must be one of the advertised listeners (${this.advertisedListeners.map((l) => l.name).join(', ')})`);
    }
    return name;
  }
}

/** Every broker config name (for help output and completion). */
export const BROKER_CONFIG_NAMES = Object.keys(BROKER_CONFIG_DEFINITIONS) as BrokerConfigName[];
