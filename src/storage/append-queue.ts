import { prepareAppend } from './append-preparation.js';
import type { AppendOptions, PreparedAppend } from './append-preparation.js';
import type { BatchInfo } from './batch-header.js';
import type { LeaderEpochCache } from './leader-epoch-cache.js';
import { maxSegmentMs } from './log-config.js';
import type { LogConfig } from './log-config.js';
import type { LogSegment } from './log-segment.js';
import type { SerialQueue } from './serial-queue.js';
import { StaleLeaderEpochAppendError } from './storage-errors.js';

export interface AppendResult {
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The LogAppendTime given, or -1 (CreateTime). */
  logAppendTime: number;
  appendedBytes: number;
}

/** What the queue needs from its log. */
export interface AppendTarget {
  logEndOffset(): number;
  config(): Readonly<LogConfig>;
  activeSegment(): LogSegment;
  now(): number;
  /** Throws when the log is closed or offline. */
  checkUsable(): void;
  roll(baseOffset: number): Promise<void>;
  /** The log's leader epoch cache; the queue records new epochs in it once their batches are written. */
  leaderEpochs(): LeaderEpochCache;
  /** Persist the leader epoch cache after a write changed it (rare: only on a new epoch). */
  checkpointLeaderEpochs(): Promise<void>;
  /** Turns a write failure into the error every waiting append gets (and takes the log offline). */
  fail(err: unknown): Error;
  /** An append was written at [baseOffset, nextOffset), as leader (offsets assigned here) or replicated. */
  written(baseOffset: number, nextOffset: number, batches: Buffer, asLeader: boolean): void;
}

interface PendingAppend {
  batches: Buffer;
  opts: AppendOptions;
  resolve: (result: AppendResult) => void;
  reject: (err: unknown) => void;
  settled: boolean;
  prepared?: PreparedAppend;
}

const MAX_RELATIVE_OFFSET = 0x7fffffff;

/**
 * The single writer of a partition log. Appends wait in a list; one drain task on the log's serial queue takes all
 * of them, assigns offsets in order and writes them with one writev per segment. Appends arriving while a write is
 * in flight are coalesced into the next drain.
 */
export class AppendQueue {
  #queue: SerialQueue;
  #target: AppendTarget;
  #pending: PendingAppend[] = [];
  #drainQueued = false;

  constructor(queue: SerialQueue, target: AppendTarget) {
    this.#queue = queue;
    this.#target = target;
  }

  append(batches: Buffer, opts: AppendOptions): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.#target.checkUsable();
      const item: PendingAppend = {
        batches,
        opts,
        settled: false,
        resolve: (result) => {
          item.settled = true;
          resolve(result);
        },
        reject: (err) => {
          item.settled = true;
          reject(err);
        },
      };
      this.#pending.push(item);
      if (!this.#drainQueued) {
        this.#drainQueued = true;
        void this.#queue.run(() => this.#drain());
      }
    });
  }

  /** Writes everything queued so far. Never throws: failures reject the appends concerned. */
  async #drain(): Promise<void> {
    this.#drainQueued = false;
    const items = this.#pending;
    this.#pending = [];
    try {
      this.#target.checkUsable();
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    let group: PendingAppend[] = [];
    let groupBytes = 0;
    let nextOffset = this.#target.logEndOffset();
    try {
      for (const item of items) {
        let prepared: PreparedAppend;
        try {
          const latestEpoch = this.#target.leaderEpochs().latestEpoch;
          if (item.opts.assignOffsets && item.opts.leaderEpoch < latestEpoch) {
            throw new StaleLeaderEpochAppendError(`append for leader epoch ${item.opts.leaderEpoch} reached the log at epoch ${latestEpoch}`);
          }
          prepared = prepareAppend(item.batches, item.opts, nextOffset, this.#target.config());
        } catch (err) {
          item.reject(err);
          continue;
        }
        item.prepared = prepared;
        if (this.#shouldRoll(groupBytes, item.batches.length, prepared)) {
          await this.#writeGroup(group, groupBytes);
          group = [];
          groupBytes = 0;
          await this.#target.roll(prepared.firstOffset);
        }
        group.push(item);
        groupBytes += item.batches.length;
        nextOffset = prepared.lastOffset + 1;
      }
      await this.#writeGroup(group, groupBytes);
    } catch (err) {
      const failure = this.#target.fail(err);
      for (const item of items) if (!item.settled) item.reject(failure);
    }
  }

  /** Kafka's shouldRoll: segment.bytes, segment.ms (max.compaction.lag.ms too when compacted) since the first append, or the relative-offset range. */
  #shouldRoll(groupBytes: number, bytes: number, prepared: PreparedAppend): boolean {
    const active = this.#target.activeSegment();
    const config = this.#target.config();
    const used = active.size + groupBytes;
    if (used === 0) return false;
    const now = this.#target.now();
    return (
      used + bytes > config.segmentBytes ||
      now - (active.rollingBasedTimestamp ?? now) > maxSegmentMs(config) ||
      prepared.lastOffset - active.baseOffset > MAX_RELATIVE_OFFSET
    );
  }

  async #writeGroup(group: readonly PendingAppend[], groupBytes: number): Promise<void> {
    if (group.length === 0) return;
    const buffers: Buffer[] = [];
    const infos: BatchInfo[] = [];
    let position = 0;
    for (const item of group) {
      buffers.push(item.batches);
      for (const batch of item.prepared?.batches ?? []) infos.push({ ...batch, position: position + batch.position });
      position += item.batches.length;
    }
    const target = this.#target;
    await target.activeSegment().append(buffers, infos, groupBytes, target.now(), target.config().indexIntervalBytes);
    for (const item of group) {
      if (item.prepared !== undefined) target.written(item.prepared.firstOffset, item.prepared.lastOffset + 1, item.batches, item.opts.assignOffsets);
    }
    if (this.#assignLeaderEpochs(group)) await target.checkpointLeaderEpochs();
    for (const item of group) {
      const prepared = item.prepared;
      if (prepared === undefined) continue;
      item.resolve({
        firstOffset: prepared.firstOffset,
        lastOffset: prepared.lastOffset,
        maxTimestamp: prepared.maxTimestamp,
        logAppendTime: item.opts.assignOffsets ? (item.opts.logAppendTime ?? -1) : -1,
        appendedBytes: item.batches.length,
      });
    }
  }

  /**
   * Kafka's epoch bookkeeping after a write: a leader append starts its leader epoch at its first offset; a
   * replicated append starts each batch's own partitionLeaderEpoch at that batch's base offset. In the steady state
   * (same epoch, later offsets) this changes nothing. Returns true when the cache changed.
   */
  #assignLeaderEpochs(group: readonly PendingAppend[]): boolean {
    const cache = this.#target.leaderEpochs();
    let changed = false;
    for (const item of group) {
      const prepared = item.prepared;
      if (prepared === undefined) continue;
      if (item.opts.assignOffsets) {
        changed = cache.assign(item.opts.leaderEpoch, prepared.firstOffset) || changed;
        continue;
      }
      for (const batch of prepared.batches) changed = cache.assign(batch.partitionLeaderEpoch, batch.baseOffset) || changed;
    }
    return changed;
  }
}
