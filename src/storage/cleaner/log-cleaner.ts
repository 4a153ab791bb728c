import path from 'node:path';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { CheckpointFile, readCheckpointFile, writeCheckpointFile } from '../checkpoint-file.js';
import { isCompacted } from '../log-config.js';
import type { PartitionLog } from '../partition-log.js';
import { topicPartitionKey } from '../topic-partition.js';
import { cleanableLog, isCleanable } from './cleanable.js';
import type { CleanableLog } from './cleanable.js';
import { Cleaner, CleaningAbortedError } from './cleaner.js';
import type { CleanOutcome } from './cleaner.js';

/** Kafka's default log.cleaner.dedupe.buffer.size (128 MiB) for its one cleaner thread. */
const DEFAULT_DEDUPE_BUFFER_BYTES = 128 * 1024 * 1024;

/** The log cleaner settings LogManagerOptions takes (broker keys log.cleaner.*). */
export interface LogCleanerConfig {
  /** log.cleaner.enable */
  enable: boolean;
  /** log.cleaner.backoff.ms: the pause when no log is cleanable. */
  backoffMs: number;
  /** log.cleaner.dedupe.buffer.size */
  dedupeBufferBytes?: number;
}

export interface CleanerLogEntry {
  log: PartitionLog;
  logDir: string;
}

export interface LogCleanerOptions extends LogCleanerConfig {
  clock: Clock;
  logger: Logger;
  logDirs: readonly string[];
  /** The logs the cleaner may take (the log manager's current logs). */
  logs: () => Iterable<CleanerLogEntry>;
}

interface InProgress {
  key: string;
  aborted: boolean;
  done: Promise<unknown>;
}

/**
 * Kafka's LogCleaner with its LogCleanerManager, one cleaner: in the background it takes the filthiest compacted
 * log (see isCleanable), cleans it, records how far in each log dir's `cleaner-offset-checkpoint` and goes on at
 * once, or after `backoffMs` when nothing was cleanable.
 */
export class LogCleaner {
  readonly #opts: LogCleanerOptions;
  readonly #logger: Logger;
  readonly #cleaner: Cleaner;
  /** Cleaner checkpoints by log dir, then topicPartitionKey. */
  readonly #checkpoints = new Map<string, Map<string, number>>();
  /** Earliest delete horizon of the tombstones each log still holds (from its last clean). */
  readonly #tombstoneHorizons = new Map<string, number>();
  /** Logs whose clean failed for a reason other than an abort: skipped until restart (Kafka's uncleanable partitions). */
  readonly #uncleanable = new Set<string>();
  #inProgress: InProgress | undefined;
  #cancelTimer: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  #running = false;
  #stopped = false;

  constructor(opts: LogCleanerOptions) {
    this.#opts = opts;
    this.#logger = opts.logger;
    this.#cleaner = new Cleaner({ clock: opts.clock, logger: opts.logger, dedupeBufferBytes: opts.dedupeBufferBytes ?? DEFAULT_DEDUPE_BUFFER_BYTES });
  }

  /** Read every log dir's cleaner-offset-checkpoint (an unreadable one counts as empty). */
  async loadCheckpoints(): Promise<void> {
    for (const logDir of this.#opts.logDirs) {
      const file = path.join(logDir, CheckpointFile.CLEANER_OFFSET);
      try {
        this.#checkpoints.set(logDir, await readCheckpointFile(file));
      } catch (err) {
        this.#logger.error('Ignoring unreadable cleaner checkpoint', { file, error: String(err) });
        this.#checkpoints.set(logDir, new Map());
      }
    }
  }

  /** Start the background passes. */
  startup(): void {
    this.#running = true;
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer = this.#opts.clock.schedule(delayMs, () => {
      this.#cancelTimer = undefined;
      this.#loop = this.#pass();
    });
  }

  async #pass(): Promise<void> {
    let cleaned = false;
    try {
      cleaned = await this.cleanFilthiestLog();
    } catch (err) {
      this.#logger.error('Log cleaner pass failed', { error: String(err) });
    }
    if (this.#running) this.#schedule(cleaned ? 0 : this.#opts.backoffMs);
  }

  /** Stop the passes, aborting a clean in progress, and wait for it. */
  async shutdown(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#inProgress !== undefined) this.#inProgress.aborted = true;
    await this.#loop;
    await this.#inProgress?.done;
  }

  /** Before a log is deleted: abort its clean, wait for it, and drop its checkpoint (Kafka's abortCleaning + update). */
  async abortAndForget(topic: string, partition: number): Promise<void> {
    const key = topicPartitionKey(topic, partition);
    const current = this.#inProgress;
    if (current?.key === key) {
      current.aborted = true;
      await current.done.catch(() => undefined);
    }
    this.#tombstoneHorizons.delete(key);
    this.#uncleanable.delete(key);
    for (const [logDir, offsets] of this.#checkpoints) {
      if (offsets.delete(key)) await this.#writeCheckpoint(logDir);
    }
  }

  /** The cleaner checkpoint of a log (undefined when it was never cleaned). */
  checkpoint(topic: string, partition: number): number | undefined {
    const key = topicPartitionKey(topic, partition);
    for (const offsets of this.#checkpoints.values()) {
      const offset = offsets.get(key);
      if (offset !== undefined) return offset;
    }
    return undefined;
  }

  #offsetsOf(logDir: string): Map<string, number> {
    let offsets = this.#checkpoints.get(logDir);
    if (offsets === undefined) {
      offsets = new Map();
      this.#checkpoints.set(logDir, offsets);
    }
    return offsets;
  }

  /** Kafka's maybeTruncateCheckpoint: a checkpoint past a truncation point moves back to it. */
  #followTruncation(log: PartitionLog, offsets: Map<string, number>, key: string): number | undefined {
    const checkpoint = offsets.get(key);
    const truncatedTo = log.takeLowestTruncation();
    if (checkpoint !== undefined && truncatedTo !== undefined && checkpoint > truncatedTo) {
      offsets.set(key, truncatedTo);
      return truncatedTo;
    }
    return checkpoint;
  }

  /** Kafka's grabFilthiestCompactedLog: the cleanable compacted log with the highest dirty ratio. */
  #filthiest(now: number): { entry: CleanerLogEntry; key: string; target: CleanableLog } | undefined {
    let best: { entry: CleanerLogEntry; key: string; target: CleanableLog } | undefined;
    for (const entry of this.#opts.logs()) {
      const { log } = entry;
      const key = topicPartitionKey(log.topic, log.partition);
      if (!isCompacted(log.config) || !log.isUsable || this.#uncleanable.has(key)) continue;
      const checkpoint = this.#followTruncation(log, this.#offsetsOf(entry.logDir), key);
      const target = cleanableLog({
        segments: log.segments,
        config: log.config,
        checkpoint,
        logStartOffset: log.logStartOffset,
        logEndOffset: log.logEndOffset,
        highWatermark: log.highWatermark,
        now,
      });
      if (!isCleanable(target, log.config, now, this.#tombstoneHorizons.get(key))) continue;
      if (best === undefined || target.cleanableRatio > best.target.cleanableRatio) best = { entry, key, target };
    }
    return best;
  }

  /** One pass: clean the filthiest log, if any. True when a log was cleaned. */
  async cleanFilthiestLog(): Promise<boolean> {
    if (this.#stopped) return false;
    const now = this.#opts.clock.now();
    const chosen = this.#filthiest(now);
    if (chosen === undefined) return false;
    const { entry, key, target } = chosen;
    const { log } = entry;
    const progress: InProgress = { key, aborted: false, done: Promise.resolve() };
    const truncationsAtStart = log.truncationCount;
    const cleaning = this.#cleaner.clean(log, target, () => progress.aborted || this.#stopped);
    progress.done = cleaning.catch(() => undefined);
    this.#inProgress = progress;
    let outcome: CleanOutcome;
    try {
      outcome = await cleaning;
    } catch (err) {
      // A truncation meanwhile can cut a segment short under the cleaner's read: that is an abort, not a broken log.
      const truncated = log.truncationCount !== truncationsAtStart;
      if (err instanceof CleaningAbortedError || truncated || !log.isUsable || progress.aborted) {
        this.#logger.info('Log cleaning aborted', { topic: log.topic, partition: log.partition, reason: String(err) });
        return false;
      }
      this.#uncleanable.add(key);
      this.#logger.error('Log cleaning failed; the partition is skipped until restart', { topic: log.topic, partition: log.partition, error: String(err) });
      return false;
    } finally {
      this.#inProgress = undefined;
    }
    if (progress.aborted) return false; // the log is being deleted: its checkpoint is being dropped
    this.#offsetsOf(entry.logDir).set(key, outcome.endOffset);
    const horizon = outcome.tombstoneHorizon;
    if (horizon !== undefined && horizon > now) this.#tombstoneHorizons.set(key, horizon);
    else this.#tombstoneHorizons.delete(key);
    await this.#writeCheckpoint(entry.logDir);
    this.#logger.info('Cleaned log', {
      topic: log.topic,
      partition: log.partition,
      firstDirtyOffset: target.firstDirtyOffset,
      cleanedTo: outcome.endOffset,
      dirtyRatio: Number(target.cleanableRatio.toFixed(3)),
      segmentsBefore: outcome.segmentsBefore,
      segmentsAfter: outcome.segmentsAfter,
      bytesBefore: outcome.bytesBefore,
      bytesAfter: outcome.bytesAfter,
      recordsRemoved: outcome.recordsRemoved,
    });
    return true;
  }

  async #writeCheckpoint(logDir: string): Promise<void> {
    await writeCheckpointFile(path.join(logDir, CheckpointFile.CLEANER_OFFSET), this.#offsetsOf(logDir));
  }
}
