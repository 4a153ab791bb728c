import type { AdminManager } from '../cluster/admin-manager.js';
import type { MetadataCache } from '../cluster/metadata-cache.js';
import type { ErrorName } from '../protocol/error-codes.js';
import { StreamkeeperError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import { OFFSETS_TOPIC } from '../cluster/topic-names.js';

export interface OffsetsTopicSettings {
  /** offsets.topic.num.partitions */
  numPartitions: number;
  /** offsets.topic.replication.factor */
  replicationFactor: number;
  /** offsets.topic.segment.bytes */
  segmentBytes: number;
}

export type CoordinatorLookup = { ok: true; brokerId: number } | { ok: false; error: ErrorName; message: string };

/**
 * `__consumer_offsets` as FindCoordinator and Metadata see it (Kafka's KafkaApis.getOrCreateInternalTopic):
 * created on first use with the offsets.topic.* settings, refused while fewer brokers are alive than its
 * replication factor, and the coordinator of a group is the leader of the group's partition.
 */
export class OffsetsTopic {
  readonly #settings: OffsetsTopicSettings;
  readonly #admin: AdminManager;
  readonly #cache: MetadataCache;
  readonly #logger: Logger;
  #creating: Promise<string | null> | undefined;

  constructor(opts: { settings: OffsetsTopicSettings; admin: AdminManager; metadataCache: MetadataCache; logger: Logger }) {
    this.#settings = opts.settings;
    this.#admin = opts.admin;
    this.#cache = opts.metadataCache;
    this.#logger = opts.logger;
  }

  /** The broker leading `partition` of the offsets topic, creating the topic when it does not exist yet. */
  async coordinatorFor(partition: number): Promise<CoordinatorLookup> {
    if (this.#cache.topic(OFFSETS_TOPIC) === undefined) {
      const created = await this.create();
      return { ok: false, error: 'COORDINATOR_NOT_AVAILABLE', message: created ?? 'the offsets topic is being created' };
    }
    const state = this.#cache.partition(OFFSETS_TOPIC, partition);
    if (state === undefined || state.leader < 0 || !this.#cache.isAlive(state.leader)) {
      return { ok: false, error: 'COORDINATOR_NOT_AVAILABLE', message: `partition ${partition} of ${OFFSETS_TOPIC} has no live leader` };
    }
    return { ok: true, brokerId: state.leader };
  }

  /**
   * Creates the topic; returns why it could not, or null when it was created (or already existed). Concurrent
   * callers (a batched FindCoordinator, many clients at start-up) share one attempt.
   */
  create(): Promise<string | null> {
    this.#creating ??= this.#create().finally(() => {
      this.#creating = undefined;
    });
    return this.#creating;
  }

  async #create(): Promise<string | null> {
    const alive = this.#cache.liveBrokers().length;
    const { numPartitions, replicationFactor, segmentBytes } = this.#settings;
    if (alive < replicationFactor) {
      const message =
        `Number of alive brokers '${alive}' does not meet the required replication factor '${replicationFactor}' for the ` +
        `offsets topic (configured via 'offsets.topic.replication.factor'). This error can be ignored if the cluster is starting up ` +
        `and not all brokers are up yet.`;
      this.#logger.error(message);
      return message;
    }
    try {
      await this.#admin.createTopic(
        {
          name: OFFSETS_TOPIC,
          numPartitions,
          replicationFactor,
          assignments: null,
          configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(segmentBytes), 'compression.type': 'producer' },
        },
        false,
      );
      return null;
    } catch (err) {
      if (err instanceof StreamkeeperError && err.kafkaError === 'TOPIC_ALREADY_EXISTS') return null;
      this.#logger.error('creating the offsets topic failed', { err: String(err) });
      return err instanceof Error ? err.message : String(err);
    }
  }
}
