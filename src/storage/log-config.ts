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
  /** segment.index.bytes: the largest offset or time index a segment may have (bounds cleaner grouping). */
  segmentIndexBytes: number;
  /** delete.retention.ms: how long a compacted log keeps tombstones after they were first cleaned. */
  deleteRetentionMs: number;
  /** min.cleanable.dirty.ratio */
  minCleanableDirtyRatio: number;
  /** min.compaction.lag.ms */
  minCompactionLagMs: number;
  /** max.compaction.lag.ms (Number.MAX_SAFE_INTEGER = never) */
  maxCompactionLagMs: number;
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
  segmentIndexBytes: 10485760,
  deleteRetentionMs: 86400000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: Number.MAX_SAFE_INTEGER,
});

/** True when the log is compacted (cleanup.policy compact or compact,delete). */
export function isCompacted(config: Readonly<LogConfig>): boolean {
  return config.cleanupPolicy.includes(CleanupPolicy.COMPACT);
}

/** Kafka's maxSegmentMs: a compacted log also rolls by max.compaction.lag.ms, so old dirty records become cleanable. */
export function maxSegmentMs(config: Readonly<LogConfig>): number {
  return isCompacted(config) ? Math.min(config.segmentMs, config.maxCompactionLagMs) : config.segmentMs;
}

const INT_KEYS = {
  'segment.bytes': 'segmentBytes',
  'segment.ms': 'segmentMs',
  'retention.ms': 'retentionMs',
  'retention.bytes': 'retentionBytes',
  'index.interval.bytes': 'indexIntervalBytes',
  'max.message.bytes': 'maxMessageBytes',
  'file.delete.delay.ms': 'fileDeleteDelayMs',
  'segment.index.bytes': 'segmentIndexBytes',
  'delete.retention.ms': 'deleteRetentionMs',
  'min.compaction.lag.ms': 'minCompactionLagMs',
  'max.compaction.lag.ms': 'maxCompactionLagMs',
} as const;

/** Kafka's Long.MAX_VALUE "never", clamped to the largest safe JS integer. */
const LONG_MAX_TEXT = '9223372036854775807';

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
      const value = raw.trim() === LONG_MAX_TEXT ? Number.MAX_SAFE_INTEGER : Number(raw);
      if (!Number.isSafeInteger(value)) throw new Error(`Invalid value ${raw} for configuration ${key}`);
      config[INT_KEYS[key as keyof typeof INT_KEYS]] = value;
    } else if (key === 'cleanup.policy') {
      const policies = raw.split(',').map((p) => p.trim().toLowerCase());
      if (!policies.every(isCleanupPolicy)) throw new Error(`Invalid value ${raw} for configuration ${key}`);
      config.cleanupPolicy = policies;
    } else if (key === 'min.cleanable.dirty.ratio') {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`Invalid value ${raw} for configuration ${key}`);
      config.minCleanableDirtyRatio = value;
    } else if (key === 'message.timestamp.type') {
      if (raw !== TimestampType.CREATE_TIME && raw !== TimestampType.LOG_APPEND_TIME) {
        throw new Error(`Invalid value ${raw} for configuration ${key}`);
      }
      config.messageTimestampType = raw;
    }
  }
  return config;
}
