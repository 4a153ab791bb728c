/** Per-topic log configuration, with Kafka's topic-level names in the comments. */
export interface LogConfig {
  /** segment.bytes */
  segmentBytes: number;
  /** segment.ms */
  segmentMs: number;
  /** retention.ms; -1 = unlimited */
  retentionMs: number;
  /** retention.bytes; -1 = unlimited */
  retentionBytes: number;
  /** cleanup.policy */
  cleanupPolicy: readonly CleanupPolicy[];
  /** index.interval.bytes */
  indexIntervalBytes: number;
  /** max.message.bytes */
  maxMessageBytes: number;
  /** message.timestamp.type */
  messageTimestampType: TimestampType;
  /** file.delete.delay.ms */
  fileDeleteDelayMs: number;
}

export const CleanupPolicy = { DELETE: 'delete', COMPACT: 'compact' } as const;
export type CleanupPolicy = (typeof CleanupPolicy)[keyof typeof CleanupPolicy];

export const TimestampType = { CREATE_TIME: 'CreateTime', LOG_APPEND_TIME: 'LogAppendTime' } as const;
export type TimestampType = (typeof TimestampType)[keyof typeof TimestampType];

/** Kafka's defaults. */
export const defaultLogConfig: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1073741824,
  segmentMs: 604800000,
  retentionMs: 604800000,
  retentionBytes: -1,
  cleanupPolicy: Object.freeze([CleanupPolicy.DELETE]),
  indexIntervalBytes: 4096,
  maxMessageBytes: 1048588,
  messageTimestampType: TimestampType.CREATE_TIME,
  fileDeleteDelayMs: 60000,
});

const INT_KEYS = {
  'segment.bytes': 'segmentBytes',
  'segment.ms': 'segmentMs',
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'index.interval.bytes': 'indexIntervalBytes',
  'max.message.bytes': 'maxMessageBytes',
  'file.delete.delay.ms': 'fileDeleteDelayMs',
} as const;

function isCleanupPolicy(s: string): s is CleanupPolicy {
  return s === CleanupPolicy.DELETE || s === CleanupPolicy.COMPACT;
}

/**
 * Apply Kafka topic-config overrides (`segment.bytes`, `cleanup.policy`, ...) on top of `base`. Unknown keys are
 * ignored (they belong to other layers); a malformed value of a known key throws.
 */
export function logConfigWithOverrides(base: Readonly<LogConfig>, props: Readonly<Record<string, string>>): LogConfig {
  const config: LogConfig = { ...base };
  for (const [key, raw] of Object.entries(props)) {
    if (key in INT_KEYS) {
      const value = Number(raw);
      if (!Number.isSafeInteger(value)) throw new Error(`Invalid value ${raw} for configuration ${key}`);
      config[INT_KEYS[key as keyof typeof INT_KEYS]] = value;
    } else if (key === 'cleanup.policy') {
      const policies = raw.split(',').map((p) => p.trim().toLowerCase());
      if (!policies.every(isCleanupPolicy)) throw new Error(`Invalid value ${raw} for configuration ${key}`);
      config.cleanupPolicy = policies;
    } else if (key === 'message.timestamp.type') {
      if (raw !== TimestampType.CREATE_TIME && raw !== TimestampType.LOG_APPEND_TIME) {
        throw new Error(`Invalid value ${raw} for configuration ${key}`);
      }
      config.messageTimestampType = raw;
    }
  }
  return config;
}
