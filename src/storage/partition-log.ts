import fs from 'node:fs';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { AppendOptions } from './append-preparation.js';
import { AppendQueue } from './append-queue.js';
import type { AppendResult } from './append-queue.js';
import type { EpochEndOffset, EpochEntry, LeaderEpochCache } from './leader-epoch-cache.js';
import { leaderEpochCheckpointPath, writeLeaderEpochCheckpoint } from './leader-epoch-checkpoint.js';
import { LeaderEpochLoader } from './leader-epoch-loader.js';
import type { LogConfig } from './log-config.js';
import { deleteSegmentFiles, loadSegments } from './log-loader.js';
import { LogSegment } from './log-segment.js';
import { logStartOffsetBreached, retentionMsBreached, retentionSizeBreached } from './retention.js';
import type { RetentionState } from './retention.js';
import { SegmentList } from './segment-list.js';
import { SerialQueue } from './serial-queue.js';
import { KafkaStorageError, OffsetOutOfRangeError, asStorageError } from './storage-errors.js';
import { TailCache } from './tail-cache.js';
import type { TailBudget } from './tail-cache.js';

export type { AppendOptions } from './append-preparation.js';
export type { AppendResult } from './append-queue.js';
export type { EpochEndOffset, EpochEntry } from './leader-epoch-cache.js';

export interface PartitionLogOptions {
  /** The partition directory, `<logDir>/<topic>-<partition>`. */
  dir: string;
  topic: string;
  partition: number;
  config: Readonly<LogConfig>;
  clock: Clock;
  logger: Logger;
  recoveryPoint?: number;
  logStartOffset?: number;
  hadCleanShutdown: boolean;
  /** The broker-wide bound on leader appends kept in memory (see TailCache); each log has its own without it. */
  tailBudget?: TailBudget;
}

export interface ReadOptions {
  maxBytes: number;
  /** Exclusive bound on offsets served (the high watermark); defaults to the log end offset. */
  maxOffset?: number;
  /** Return the first batch whole even when it is larger than maxBytes. */
  minOneBatch?: boolean;
}

export interface ReadResult {
  /** Whole raw batches, or null when there is nothing to return. */
  records: Buffer | null;
  /** Base offset of the first batch returned, -1 when none. */
  firstBatchOffset: number;
}

/** Bytes of leader appends a log keeps in memory for followers (a few replica.fetch.max.bytes of 1 MiB). */
const TAIL_CACHE_BYTES = 4 * 1024 * 1024;

const EMPTY_READ: ReadResult = Object.freeze({ records: null, firstBatchOffset: -1 });

/**
 * One partition's log: ordered segments, one writer (an append queue that coalesces concurrent appends into a
 * single writev), lock-free reads of whole batches.
 */
export class PartitionLog {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  #config: Readonly<LogConfig>;
  #clock: Clock;
  #logger: Logger;
  #segments: SegmentList;
  #logStartOffset: number;
  #recoveryPoint: number;
  #highWatermark: number | undefined;
  #leaderEpochs: LeaderEpochCache;
  #leaderEpochFile: string;
  #queue = new SerialQueue();
  #appends: AppendQueue;
  #failure: Error | undefined;
  #closed = false;
  #filesClosed = false;
  #readsInFlight = 0;
  #readsIdle: (() => void) | undefined;
  #backgroundFlushes = new Set<Promise<void>>();
  /** Truncations so far, and the lowest offset truncated to since the cleaner last asked (its checkpoint follows). */
  #truncations = 0;
  #lowestTruncation: number | undefined;
  /** The latest leader appends, serving reads at the log end from memory until the high watermark passes them. */
  #tail: TailCache;

  private constructor(
    opts: PartitionLogOptions,
    segments: LogSegment[],
    logStartOffset: number,
    recoveryPoint: number,
    leaderEpochs: LeaderEpochCache,
  ) {
    this.dir = opts.dir;
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.#config = opts.config;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#segments = new SegmentList(segments, opts.clock, opts.logger);
    this.#logStartOffset = logStartOffset;
    this.#recoveryPoint = recoveryPoint;
    this.#leaderEpochs = leaderEpochs;
    this.#leaderEpochFile = leaderEpochCheckpointPath(opts.dir);
    this.#tail = new TailCache(TAIL_CACHE_BYTES, opts.tailBudget);
    this.#appends = new AppendQueue(this.#queue, {
      logEndOffset: () => this.logEndOffset,
      config: () => this.#config,
      activeSegment: () => this.#active,
      now: () => this.#clock.now(),
      checkUsable: () => this.#checkUsable(),
      roll: (baseOffset) => this.#roll(baseOffset),
      leaderEpochs: () => this.#leaderEpochs,
      checkpointLeaderEpochs: () => this.#checkpointLeaderEpochs(true),
      fail: (err) => this.#fail(err, 'Append'),
      written: (baseOffset, nextOffset, batches, asLeader) => {
        // A replicated append means this log follows now: its leader appends no longer lead to the log end.
        if (asLeader) this.#tail.add(baseOffset, nextOffset, batches);
        else this.#tail.clear();
      },
    });
  }

  static async open(opts: PartitionLogOptions): Promise<PartitionLog> {
    const logger = opts.logger;
    const epochLoader = await LeaderEpochLoader.read(leaderEpochCheckpointPath(opts.dir), logger);
    let segments = await loadSegments(opts.dir, {
      recoveryPoint: opts.recoveryPoint ?? 0,
      hadCleanShutdown: opts.hadCleanShutdown,
      indexIntervalBytes: opts.config.indexIntervalBytes,
      logger,
      onRecoveredBatch: epochLoader.onRecoveredBatch,
    });
    let logStartOffset = Math.max(opts.logStartOffset ?? 0, segments[0]?.baseOffset ?? 0);
    const last = segments[segments.length - 1];
    if (last !== undefined && last.nextOffset < logStartOffset) {
      logger.warn('Log end offset is below the log start offset; deleting all segments', { logEndOffset: last.nextOffset, logStartOffset });
      await deleteSegmentFiles(opts.dir, segments);
      segments = [];
    }
    if (segments.length === 0) {
      segments = [await LogSegment.create(opts.dir, logStartOffset, opts.clock.now())];
    }
    logStartOffset = Math.max(logStartOffset, segments[0]?.baseOffset ?? 0);
    const logEndOffset = segments[segments.length - 1]?.nextOffset ?? logStartOffset;
    const recoveryPoint = opts.hadCleanShutdown ? logEndOffset : Math.min(opts.recoveryPoint ?? 0, logEndOffset);
    const leaderEpochs = await epochLoader.complete(segments, logStartOffset, logEndOffset);
    logger.info('Loaded log', { segments: segments.length, logStartOffset, logEndOffset, hadCleanShutdown: opts.hadCleanShutdown });
    return new PartitionLog(opts, segments, logStartOffset, recoveryPoint, leaderEpochs);
  }

  get config(): Readonly<LogConfig> {
    return this.#config;
  }

  get logStartOffset(): number {
    return this.#logStartOffset;
  }

  get logEndOffset(): number {
    return this.#active.nextOffset;
  }

  get activeSegmentBaseOffset(): number {
    return this.#active.baseOffset;
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.#segments.size;
  }

  /** The segments, oldest first (an immutable snapshot; the log cleaner reads the non-active ones). */
  get segments(): readonly LogSegment[] {
    return this.#segments.all;
  }

  /** Base offsets of the segments, oldest first. */
  get segmentBaseOffsets(): number[] {
    return this.#segments.all.map((s) => s.baseOffset);
  }

  /** Offset up to which the log is known to be on disk (fsynced); recovery starts from its segment. */
  get recoveryPoint(): number {
    return this.#recoveryPoint;
  }

  /** The high watermark last given by the partition layer (the log end offset if never given). Bounds retention. */
  get highWatermark(): number {
    return Math.min(this.#highWatermark ?? this.logEndOffset, this.logEndOffset);
  }

  /** This replica no longer leads: followers no longer fetch from it, so its latest appends need not stay in memory. */
  forgetTail(): void {
    this.#tail.clear();
  }

  updateHighWatermark(offset: number): void {
    this.#highWatermark = Math.max(this.#logStartOffset, Math.min(offset, this.logEndOffset));
    this.#tail.releaseBelow(this.#highWatermark);
  }

  // ---- leader epochs --------------------------------------------------------------------------------------

  /** The latest leader epoch that has (or had) records in this log, -1 when none. */
  get latestEpoch(): number {
    return this.#leaderEpochs.latestEpoch;
  }

  /** OffsetsForLeaderEpoch for this log: Kafka's endOffsetFor against the current log end offset. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.#leaderEpochs.endOffsetFor(epoch, this.logEndOffset);
  }

  /** The leader epoch cache's entries, oldest first (a copy). */
  epochEntries(): EpochEntry[] {
    return this.#leaderEpochs.entries();
  }

  /**
   * Kafka's maybeAssignEpochStartOffset: a new leader records that `leaderEpoch` starts at its log end offset before
   * any record of it is written. The log end is read on the writer queue, after appends queued before this call:
   * read earlier, appends of the previous epoch still in flight would land inside the new epoch's range.
   */
  maybeAssignEpochStartOffset(leaderEpoch: number): Promise<void> {
    return this.#exclusive('Assign leader epoch', () => this.#checkpointLeaderEpochs(this.#leaderEpochs.assign(leaderEpoch, this.logEndOffset)));
  }

  /** Rewrite the leader epoch checkpoint when the cache `changed`. */
  async #checkpointLeaderEpochs(changed: boolean): Promise<void> {
    if (changed) await writeLeaderEpochCheckpoint(this.#leaderEpochFile, this.#leaderEpochs.entries());
  }

  /** False once the log is closed or offline. */
  get isUsable(): boolean {
    return this.#failure === undefined && !this.#closed;
  }

  /** Number of truncations so far: the cleaner only swaps in output computed between the same two truncations. */
  get truncationCount(): number {
    return this.#truncations;
  }

  /** The lowest offset the log was truncated to since the last call (undefined when none); resets. */
  takeLowestTruncation(): number | undefined {
    const lowest = this.#lowestTruncation;
    this.#lowestTruncation = undefined;
    return lowest;
  }

  #noteTruncation(offset: number): void {
    this.#tail.clear();
    this.#truncations++;
    this.#lowestTruncation = Math.min(this.#lowestTruncation ?? offset, offset);
  }

  /** True once an I/O failure has taken this partition offline. */
  get isOffline(): boolean {
    return this.#failure !== undefined;
  }

  updateConfig(config: Readonly<LogConfig>): void {
    this.#config = config;
  }

  get #active(): LogSegment {
    return this.#segments.active;
  }

  #checkUsable(): void {
    if (this.#failure !== undefined) {
      throw new KafkaStorageError(`Log ${this.topic}-${this.partition} is offline after an I/O error`, this.#failure);
    }
    if (this.#closed) throw new KafkaStorageError(`Log ${this.topic}-${this.partition} is closed`);
  }

  /** Run a structural change on the writer queue; an I/O failure takes the partition offline. */
  #exclusive<T>(what: string, task: () => Promise<T>): Promise<T> {
    return this.#queue.run(async () => {
      this.#checkUsable();
      try {
        return await task();
      } catch (err) {
        throw this.#fail(err, what);
      }
    });
  }

  #fail(err: unknown, what: string): Error {
    const wrapped = asStorageError(err, `${what} failed for ${this.topic}-${this.partition}`);
    if (wrapped instanceof KafkaStorageError && this.#failure === undefined) {
      this.#failure = wrapped;
      this.#logger.error('Partition log going offline after an I/O error', { error: wrapped.message });
    }
    return wrapped;
  }

  // ---- append ---------------------------------------------------------------------------------------------

  /**
   * Append one or more validated batches (see AppendOptions). Resolves once the bytes are in the file (page cache);
   * concurrent appends are written together in order.
   */
  append(batches: Buffer, opts: AppendOptions): Promise<AppendResult> {
    return this.#appends.append(batches, opts);
  }

  /** Start a new active segment at `baseOffset`; the old one is fsynced in the background (recovery point moves after). */
  async #roll(baseOffset: number): Promise<void> {
    // Reads stop at a segment's end, from memory as from the files: only the active segment's appends are kept.
    this.#tail.clear();
    const old = this.#active;
    old.appendFinalTimeIndexEntry();
    const segment = await LogSegment.create(this.dir, baseOffset, this.#clock.now());
    this.#segments.add(segment);
    this.#logger.info('Rolled new log segment', { baseOffset, previousSize: old.size });
    const flushedTo = old.nextOffset;
    const flush = old
      .flush()
      .then(() => old.closeIndexes())
      .then(() => {
        this.#recoveryPoint = Math.max(this.#recoveryPoint, flushedTo);
      })
      .catch((err: unknown) => {
        this.#fail(err, 'Segment flush');
      })
      .finally(() => this.#backgroundFlushes.delete(flush));
    this.#backgroundFlushes.add(flush);
  }

  // ---- reads ----------------------------------------------------------------------------------------------

  async #tracked<T>(task: () => Promise<T>): Promise<T> {
    this.#checkUsable();
    this.#readsInFlight++;
    try {
      return await task();
    } catch (err) {
      throw asStorageError(err, `Read failed for ${this.topic}-${this.partition}`);
    } finally {
      if (--this.#readsInFlight === 0) this.#readsIdle?.();
    }
  }

  /**
   * Whole batches from the one containing `startOffset`, never a batch with offsets >= `maxOffset`, at most
   * `maxBytes` (with `minOneBatch`, the first batch whole whatever its size).
   */
  read(startOffset: number, opts: ReadOptions): Promise<ReadResult> {
    return this.#tracked(async () => {
      const logEndOffset = this.logEndOffset;
      if (startOffset < this.#logStartOffset || startOffset > logEndOffset) {
        throw new OffsetOutOfRangeError(
          `Received request for offset ${startOffset} for partition ${this.topic}-${this.partition}, but we only have log segments in the range ${this.#logStartOffset} to ${logEndOffset}.`,
        );
      }
      const maxOffset = Math.min(opts.maxOffset ?? logEndOffset, logEndOffset);
      if (startOffset >= maxOffset) return EMPTY_READ;
      const cached = this.#tail.read(startOffset, maxOffset, opts.maxBytes, opts.minOneBatch ?? false);
      if (cached !== undefined) return cached;
      const segments = this.#segments.all;
      const slack = this.#config.indexIntervalBytes;
      for (let i = SegmentList.floorIndex(segments, startOffset); i < segments.length; i++) {
        const segment = segments[i];
        if (segment === undefined || segment.baseOffset >= maxOffset) break;
        const result = await segment.read(startOffset, opts.maxBytes, maxOffset, opts.minOneBatch ?? false, slack);
        if (result !== undefined) return result;
      }
      return EMPTY_READ;
    });
  }

  /**
   * Run `task` as a read (close waits for it) with removed segments' files kept open until it ends: the log
   * cleaner reads old segments this way.
   */
  readPinned<T>(task: () => Promise<T>): Promise<T> {
    return this.#tracked(async () => {
      const release = this.#segments.pin();
      try {
        return await task();
      } finally {
        release();
      }
    });
  }

  /**
   * The log cleaner's swap, on the writer queue (appends wait only for a few renames): `replacement` takes the
   * place of the consecutive non-active segments `old`. False, with nothing changed, when those segments are gone
   * or the log was truncated since `truncationCount` was `truncations`.
   */
  replaceSegments(old: readonly LogSegment[], replacement: LogSegment, truncations: number): Promise<boolean> {
    return this.#exclusive('Replace cleaned segments', async () => {
      if (truncations !== this.#truncations) return false;
      // A just-rolled segment in the group may still be closing its indexes: let that finish before its files move.
      await this.#settleBackgroundFlushes();
      if (!(await this.#segments.replace(old, replacement, this.#config.fileDeleteDelayMs))) return false;
      await replacement.closeIndexes();
      return true;
    });
  }

  /** Kafka's fetchOffsetByTimestamp: the first record at or after the log start offset with timestamp >= `timestamp`. */
  offsetForTimestamp(timestamp: number): Promise<{ offset: number; timestamp: number } | null> {
    return this.#tracked(async () => {
      for (const segment of this.#segments.all) {
        if (segment.size > 0 && segment.largestTimestamp >= timestamp) {
          return segment.findOffsetByTimestamp(timestamp, this.#logStartOffset);
        }
      }
      return null;
    });
  }

  // ---- structural changes ---------------------------------------------------------------------------------

  #removeSegments(segments: readonly LogSegment[]): Promise<void> {
    return this.#segments.remove(segments, this.#config.fileDeleteDelayMs);
  }

  /** Raise the log start offset to `offset` (DeleteRecords) and delete segments wholly below it. Returns the new log start offset. */
  deleteRecordsBefore(offset: number): Promise<number> {
    return this.#exclusive('Delete records', async () => {
      if (offset > this.logEndOffset || offset < 0) {
        throw new OffsetOutOfRangeError(
          `Cannot increment the log start offset to ${offset} of partition ${this.topic}-${this.partition} since it is larger than the log end offset ${this.logEndOffset}`,
        );
      }
      if (offset > this.#logStartOffset) {
        this.#logStartOffset = offset;
        await this.#checkpointLeaderEpochs(this.#leaderEpochs.truncateFromStart(offset));
        await this.#removeSegments(logStartOffsetBreached(this.#segments.all, this.#retentionState(this.#clock.now())));
      }
      return this.#logStartOffset;
    });
  }

  /**
   * Drop every batch from the one containing `offset` onward (follower truncation), and leader-epoch entries that
   * start at or past the new log end. Returns false when no data was dropped.
   */
  truncateTo(offset: number): Promise<boolean> {
    return this.#exclusive('Truncate', async () => {
      if (offset < 0) throw new OffsetOutOfRangeError(`Cannot truncate partition ${this.topic}-${this.partition} to ${offset}`);
      // A rolled segment's background flush closes its indexes and raises the recovery point: let it finish
      // before truncation may make that segment active again.
      await this.#settleBackgroundFlushes();
      if (offset >= this.logEndOffset) {
        // No data to drop, but an epoch this broker recorded when it became leader and never wrote in may sit at
        // the log end; a leader that never had that epoch would otherwise send us back here forever (Kafka does
        // the same in Log.truncateTo).
        await this.#checkpointLeaderEpochs(this.#leaderEpochs.truncateFromEnd(this.logEndOffset));
        return false;
      }
      this.#logger.info('Truncating log', { targetOffset: offset, logEndOffset: this.logEndOffset });
      const first = this.#segments.all[0];
      if (first === undefined || first.baseOffset > offset) {
        await this.#truncateFullyAndStartAt(offset);
        return true;
      }
      this.#noteTruncation(offset);
      await this.#removeSegments(this.#segments.all.filter((s) => s.baseOffset > offset));
      await this.#active.truncateTo(offset, this.#config.indexIntervalBytes);
      await this.#checkpointLeaderEpochs(this.#leaderEpochs.truncateFromEnd(this.logEndOffset));
      this.#logStartOffset = Math.min(this.#logStartOffset, this.logEndOffset);
      this.#recoveryPoint = Math.min(this.#recoveryPoint, this.logEndOffset);
      if (this.#highWatermark !== undefined) this.#highWatermark = Math.min(this.#highWatermark, this.logEndOffset);
      return true;
    });
  }

  /** Delete everything and start again, empty, at `offset`. */
  truncateFullyAndStartAt(offset: number): Promise<void> {
    return this.#exclusive('Truncate fully', () => this.#truncateFullyAndStartAt(offset));
  }

  async #truncateFullyAndStartAt(offset: number): Promise<void> {
    await this.#settleBackgroundFlushes();
    this.#noteTruncation(offset);
    // Old segments go first: the new one may have the same base offset, and so the same file names.
    await this.#removeSegments(this.#segments.all);
    const segment = await LogSegment.create(this.dir, offset, this.#clock.now());
    this.#segments.add(segment);
    this.#logStartOffset = offset;
    this.#recoveryPoint = offset;
    this.#highWatermark = undefined;
    await this.#checkpointLeaderEpochs(this.#leaderEpochs.clear());
  }

  async #settleBackgroundFlushes(): Promise<void> {
    await Promise.allSettled([...this.#backgroundFlushes]);
  }

  #retentionState(now: number): RetentionState {
    return {
      now,
      config: this.#config,
      logStartOffset: this.#logStartOffset,
      logEndOffset: this.logEndOffset,
      highWatermark: this.highWatermark,
    };
  }

  /**
   * Kafka's deleteOldSegments: segments below the log start offset always; with cleanup.policy delete also the
   * oldest segments beyond retention.bytes and those older than retention.ms. When every segment goes, a new empty
   * one is rolled first. Returns the number of segments deleted.
   */
  deleteOldSegments(now: number): Promise<number> {
    return this.#exclusive('Retention', async () => {
      const rules = [logStartOffsetBreached];
      if (this.#config.cleanupPolicy.includes('delete')) rules.push(retentionSizeBreached, retentionMsBreached);
      let deleted = 0;
      for (const rule of rules) {
        const deletable = rule(this.#segments.all, this.#retentionState(now));
        if (deletable.length === 0) continue;
        if (deletable.length === this.#segments.all.length) await this.#roll(this.logEndOffset);
        await this.#removeSegments(deletable);
        this.#logStartOffset = Math.max(this.#logStartOffset, this.#segments.all[0]?.baseOffset ?? 0);
        this.#logger.info('Deleted log segments', { count: deletable.length, logStartOffset: this.#logStartOffset });
        deleted += deletable.length;
      }
      if (deleted > 0) await this.#checkpointLeaderEpochs(this.#leaderEpochs.truncateFromStart(this.#logStartOffset));
      return deleted;
    });
  }

  // ---- durability and lifecycle ---------------------------------------------------------------------------

  async #flushAll(): Promise<void> {
    await Promise.all([...this.#backgroundFlushes]);
    const flushedTo = this.logEndOffset;
    await this.#active.flush();
    this.#recoveryPoint = Math.max(this.#recoveryPoint, flushedTo);
  }

  /** fsync everything written so far; the recovery point moves to the log end offset. */
  flush(): Promise<void> {
    return this.#exclusive('Flush', () => this.#flushAll());
  }

  async #waitForReads(): Promise<void> {
    while (this.#readsInFlight > 0) {
      await new Promise<void>((resolve) => {
        this.#readsIdle = resolve;
      });
    }
    this.#readsIdle = undefined;
  }

  async #closeFiles(): Promise<void> {
    this.#closed = true;
    this.#tail.clear();
    if (this.#filesClosed) return;
    this.#filesClosed = true;
    await this.#waitForReads();
    await Promise.allSettled([...this.#backgroundFlushes]);
    await this.#segments.deleteScheduledNow();
    for (const segment of this.#segments.all) await segment.close();
  }

  /**
   * Flush (with the final time-index entry, as Kafka does on close) and close every file. An offline log is only
   * closed, not flushed.
   */
  close(): Promise<void> {
    return this.#queue.run(async () => {
      if (this.#filesClosed) return;
      if (this.#failure === undefined) {
        try {
          this.#active.appendFinalTimeIndexEntry();
          await this.#flushAll();
        } catch (err) {
          await this.#closeFiles();
          throw this.#fail(err, 'Close');
        }
      }
      await this.#closeFiles();
      if (this.#failure !== undefined) throw this.#failure;
    });
  }

  /** Close and remove the whole partition directory. */
  delete(): Promise<void> {
    return this.#queue.run(async () => {
      this.#closed = true;
      try {
        await this.#closeFiles();
      } finally {
        await fs.promises.rm(this.dir, { recursive: true, force: true });
      }
    });
  }
}
