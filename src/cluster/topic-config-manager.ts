import type { BrokerConfig } from '../config/broker-config.js';
import { resolveTopicConfig } from '../config/topic-config.js';
import type { ResolvedTopicConfig } from '../config/topic-config.js';
import { defaultLogConfig } from '../storage/log-config.js';
import type { LogConfig } from '../storage/log-config.js';
import type { Logger } from '../util/logger.js';
import type { TopicConfigSource } from './replica-manager.js';

interface Entry {
  overrides: Record<string, string>;
  resolved: ResolvedTopicConfig;
  log: LogConfig;
}

/**
 * Effective per-topic configs: the overrides in /config/topics/<t> over the broker's values over Kafka's defaults.
 * Loaded when a partition of the topic arrives, refreshed on /config/changes notifications.
 */
export class TopicConfigManager implements TopicConfigSource {
  readonly #broker: BrokerConfig;
  readonly #fetch: (topic: string) => Promise<Record<string, string>>;
  readonly #logger: Logger;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners: ((topic: string, config: LogConfig) => void)[] = [];
  readonly #defaults: Entry;

  constructor(opts: { broker: BrokerConfig; fetchOverrides: (topic: string) => Promise<Record<string, string>>; logger: Logger }) {
    this.#broker = opts.broker;
    this.#fetch = opts.fetchOverrides;
    this.#logger = opts.logger;
    this.#defaults = this.#entry({});
  }

  #entry(overrides: Record<string, string>): Entry {
    let resolved: ResolvedTopicConfig;
    try {
      resolved = resolveTopicConfig(this.#broker, overrides);
    } catch (err) {
      this.#logger.warn('ignoring invalid topic config overrides', { overrides, err: String(err) });
      resolved = resolveTopicConfig(this.#broker, {});
    }
    const v = resolved.values;
    const log: LogConfig = {
      ...defaultLogConfig,
      segmentBytes: v['segment.bytes'],
      segmentMs: v['segment.ms'],
      retentionMs: v['retention.ms'],
      retentionBytes: v['retention.bytes'],
      cleanupPolicy: v['cleanup.policy'] as LogConfig['cleanupPolicy'],
      indexIntervalBytes: v['index.interval.bytes'],
      maxMessageBytes: v['max.message.bytes'],
      messageTimestampType: v['message.timestamp.type'] as LogConfig['messageTimestampType'],
      fileDeleteDelayMs: v['file.delete.delay.ms'],
      segmentIndexBytes: v['segment.index.bytes'],
      deleteRetentionMs: v['delete.retention.ms'],
      minCleanableDirtyRatio: v['min.cleanable.dirty.ratio'],
      minCompactionLagMs: v['min.compaction.lag.ms'],
      maxCompactionLagMs: v['max.compaction.lag.ms'],
    };
    return { overrides, resolved, log };
  }

  #get(topic: string): Entry {
    return this.#entries.get(topic) ?? this.#defaults;
  }

  async load(topic: string): Promise<void> {
    if (this.#entries.has(topic)) return;
    this.#entries.set(topic, this.#entry(await this.#fetch(topic)));
  }

  /** Re-reads a topic's overrides after a config change notification and tells listeners (open logs). */
  async refresh(topic: string): Promise<void> {
    const e = this.#entry(await this.#fetch(topic));
    this.#entries.set(topic, e);
    this.#logger.info('topic config changed', { topic, overrides: e.overrides });
    for (const l of this.#listeners) l(topic, e.log);
  }

  onChange(listener: (topic: string, config: LogConfig) => void): void {
    this.#listeners.push(listener);
  }

  forget(topic: string): void {
    this.#entries.delete(topic);
  }

  logConfig(topic: string): LogConfig {
    return this.#get(topic).log;
  }

  minInsyncReplicas(topic: string): number {
    return this.#get(topic).resolved.values['min.insync.replicas'];
  }

  uncleanLeaderElection(topic: string): boolean {
    return this.#get(topic).resolved.values['unclean.leader.election.enable'];
  }

  /** DescribeConfigs rows for a topic with the given overrides. */
  describe(overrides: Record<string, string>): ReturnType<ResolvedTopicConfig['describe']> {
    return resolveTopicConfig(this.#broker, overrides).describe();
  }
}
