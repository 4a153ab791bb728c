/**
 * Broker configuration from environment variables, spelled the way Confluent's Kafka images spell them:
 * drop the `KAFKA_` prefix, lower-case, then `_` -> `.`, `___` -> `-`, `__` -> `_`
 * (KAFKA_ZOOKEEPER_CONNECT -> zookeeper.connect, KAFKA_LOG_DIRS -> log.dirs).
 */

/** KAFKA_* variables that configure the image or the JVM, not the broker; they are ignored. */
export const NON_CONFIG_KAFKA_ENV = new Set([
  'KAFKA_HEAP_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JMX_PORT',
  'KAFKA_JMX_HOSTNAME',
  'KAFKA_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_GC_LOG_ENABLED',
  'KAFKA_DEBUG',
  'KAFKA_VERSION',
  'KAFKA_HOME',
  'KAFKA_CLUSTER_ID',
]);

const ENV_PREFIX = 'KAFKA_';

/** The config name an environment variable stands for, or undefined when it is not a config variable. */
export function envVarToConfigName(variable: string): string | undefined {
  if (!variable.startsWith(ENV_PREFIX) || NON_CONFIG_KAFKA_ENV.has(variable)) return undefined;
  const rest = variable.slice(ENV_PREFIX.length).toLowerCase();
  if (rest === '') return undefined;
  return rest.split('_').join('.').split('...').join('-').split('..').join('_');
}

/** The environment variable that sets `name` (inverse of envVarToConfigName, except for names with `__`, which the scheme cannot spell). */
export function configNameToEnvVar(name: string): string {
  return ENV_PREFIX + name.replaceAll('_', '__').replaceAll('-', '___').replaceAll('.', '_').toUpperCase();
}

/** Maps Kafka's log4j root level names to streamkeeper.log.level values. */
const LOG4J_LEVELS: Record<string, string> = {
  FATAL: 'error',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'debug',
};

export interface EnvSetting {
  name: string;
  value: string;
  variable: string;
}

/**
 * Every config setting in `env`, sorted by variable name. KAFKA_LOG4J_ROOT_LOGLEVEL (the images' log level) sets
 * streamkeeper.log.level unless KAFKA_STREAMKEEPER_LOG_LEVEL is also given.
 */
export function configFromEnv(env: NodeJS.ProcessEnv): EnvSetting[] {
  const out: EnvSetting[] = [];
  for (const variable of Object.keys(env).sort()) {
    const value = env[variable];
    const name = envVarToConfigName(variable);
    if (value !== undefined && name !== undefined) out.push({ name, value, variable });
  }
  const log4j = env['KAFKA_LOG4J_ROOT_LOGLEVEL'];
  if (log4j !== undefined && !out.some((s) => s.name === 'streamkeeper.log.level')) {
    const level = LOG4J_LEVELS[log4j.trim().toUpperCase()];
    if (level !== undefined) out.push({ name: 'streamkeeper.log.level', value: level, variable: 'KAFKA_LOG4J_ROOT_LOGLEVEL' });
  }
  return out;
}
