import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { GroupStore } from './group-store.js';
import { removeExpiredOffsets } from './offset-ops.js';

export interface OffsetExpiryConfig {
  offsetsRetentionMs: number;
  offsetsRetentionCheckIntervalMs: number;
}

/**
 * The periodic offset-expiry task (Kafka's delete-expired-group-metadata): expired offsets get tombstones, and an
 * Empty group left without offsets becomes Dead (with a group tombstone if it ever had a generation).
 */
export class OffsetExpiry {
  readonly #store: GroupStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #config: OffsetExpiryConfig;
  #cancel: (() => void) | null = null;

  constructor(store: GroupStore, clock: Clock, logger: Logger, config: OffsetExpiryConfig) {
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
    this.#config = config;
  }

  start(): void {
    this.stop();
    this.#schedule();
  }

  stop(): void {
    this.#cancel?.();
    this.#cancel = null;
  }

  #schedule(): void {
    this.#cancel = this.#clock.schedule(this.#config.offsetsRetentionCheckIntervalMs, () => {
      this.#schedule();
      this.runOnce().catch((err: unknown) => this.#logger.error('offset expiry failed', { error: String(err) }));
    });
  }

  /** One expiry pass over every cached group; resolves with the number of offsets removed. */
  async runOnce(): Promise<number> {
    const now = this.#clock.now();
    const removed = await this.#store.cleanupGroupMetadata(this.#store.currentGroups(), (g) =>
      removeExpiredOffsets(g, now, this.#config.offsetsRetentionMs),
    );
    if (removed > 0) this.#logger.info('removed expired offsets', { removed });
    return removed;
  }
}
