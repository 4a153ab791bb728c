import { BrokerConfig } from './broker-config.js';
import type { BrokerConfigOptions, BrokerConfigSetting } from './broker-config.js';
import { ConfigError } from './config-error.js';
import { configFromEnv } from './env.js';
import { readPropertiesFile } from './properties-file.js';

export interface LoadBrokerConfigOptions extends BrokerConfigOptions {
  /** A server.properties file. */
  file?: string | undefined;
  /** Environment to read KAFKA_* variables from (pass process.env; omitted means none). */
  env?: NodeJS.ProcessEnv | undefined;
  /** `key=value` strings, as given to `--override`. */
  overrides?: readonly string[] | undefined;
}

/** Splits one `key=value` override; the value may contain further `=`. */
export function parseOverride(text: string): [string, string] {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (key === '') throw new ConfigError(undefined, `invalid override '${text}': expected key=value`);
  return [key, text.slice(eq + 1)];
}

/**
 * Loads the broker configuration. Precedence, lowest first: Kafka's defaults, the file, the environment, overrides.
 * Throws ConfigError for an unreadable file, an unknown key, an invalid value or a missing zookeeper.connect.
 */
export function loadBrokerConfig(options: LoadBrokerConfigOptions = {}): BrokerConfig {
  const settings = new Map<string, BrokerConfigSetting>();
  if (options.file !== undefined) {
    for (const entry of readPropertiesFile(options.file)) {
      settings.set(entry.key, { value: entry.value, origin: 'file', from: `${options.file}:${entry.line}` });
    }
  }
  for (const s of configFromEnv(options.env ?? {})) {
    settings.set(s.name, { value: s.value, origin: 'env', from: s.variable });
  }
  for (const text of options.overrides ?? []) {
    const [key, value] = parseOverride(text);
    settings.set(key, { value, origin: 'override' });
  }
  return new BrokerConfig(settings, options.hostname === undefined ? {} : { hostname: options.hostname });
}
