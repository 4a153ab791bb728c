import { firstRecordAtOrAfter } from '../protocol/record-timestamps.js';
import type { PartitionLog } from '../storage/partition-log.js';
import type { Clock } from '../util/clock.js';
import type { AlterIsrPartitionResult } from './controller-requests.js';
import type { LeaderAndIsrPartition } from './controller-requests.js';
import type { AlterIsrSink } from './alter-isr-manager.js';
import { FollowerState } from './follower-state.js';
import { PartitionError, notLeader } from './partition-errors.js';

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export interface FollowerFetchResult {
  records: Buffer | null;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
  /** Set when the follower's log diverges from ours: it must truncate to at most `endOffset` (Fetch v12's DivergingEpoch). */
  divergingEpoch: { epoch: number; endOffset: number } | null;
}

export interface ReadResult {
  records: Buffer | null;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  logEndOffset: number;
}

/**
 * One partition hosted by this broker: its log, its leadership (leader, leader epoch, ISR) and, when leader,
 * the high watermark, which is the smallest log end offset among the in-sync replicas.
 */
export class Partition {
  readonly topic: string;
  readonly partition: number;
  readonly #brokerId: number;
  readonly #clock: Clock;
  #log: PartitionLog;
  #leader = -1;
  #leaderEpoch = -1;
  #isr: number[] = [];
  #replicas: number[] = [];
  #zkVersion = 0;
  #controllerEpoch = 0;
  #highWatermark: number;
  #followers = new Map<number, FollowerState>();
  /** The ISR proposed to the controller and not yet answered (Kafka's pending ISR state). */
  #pendingIsr: number[] | null = null;
  #alterIsrBlockedUntil = 0;
  /** Log end offset when this broker became leader for the current epoch; a follower must reach it to join the ISR. */
  #leaderEpochStartOffset = -1;
  #stopped = false;
  readonly #alterIsr: AlterIsrSink | undefined;
  readonly #onHighWatermarkChange: () => void;

  constructor(opts: {
    topic: string;
    partition: number;
    brokerId: number;
    log: PartitionLog;
    clock: Clock;
    highWatermark: number;
    alterIsr?: AlterIsrSink;
    onHighWatermarkChange?: () => void;
  }) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.#brokerId = opts.brokerId;
    this.#log = opts.log;
    this.#clock = opts.clock;
    this.#alterIsr = opts.alterIsr;
    this.#onHighWatermarkChange = opts.onHighWatermarkChange ?? (() => {});
    this.#highWatermark = Math.min(Math.max(opts.highWatermark, opts.log.logStartOffset), opts.log.logEndOffset);
    opts.log.updateHighWatermark(this.#highWatermark);
  }

  get log(): PartitionLog {
    return this.#log;
  }
  get leader(): number {
    return this.#leader;
  }
  get leaderEpoch(): number {
    return this.#leaderEpoch;
  }
  get isr(): readonly number[] {
    return this.#isr;
  }
  get replicas(): readonly number[] {
    return this.#replicas;
  }
  get zkVersion(): number {
    return this.#zkVersion;
  }
  get isLeader(): boolean {
    return this.#leader === this.#brokerId;
  }
  get highWatermark(): number {
    return this.#highWatermark;
  }
  get logEndOffset(): number {
    return this.#log.logEndOffset;
  }
  get logStartOffset(): number {
    return this.#log.logStartOffset;
  }

  /** Applies a LeaderAndIsr decision. Returns false when its leader epoch is not newer than ours. */
  applyLeaderAndIsr(state: LeaderAndIsrPartition): boolean {
    if (state.leaderEpoch <= this.#leaderEpoch) return false;
    const wasLeader = this.isLeader;
    this.#leader = state.leader;
    this.#leaderEpoch = state.leaderEpoch;
    this.#isr = [...state.isr];
    this.#replicas = [...state.replicas];
    this.#zkVersion = state.zkVersion;
    this.#controllerEpoch = state.controllerEpoch;
    this.#pendingIsr = null;
    this.#alterIsrBlockedUntil = 0;
    this.#stopped = false;
    if (this.isLeader) {
      const now = this.#clock.now();
      const followers = new Map<number, FollowerState>();
      this.#leaderEpochStartOffset = this.#log.logEndOffset;
      for (const r of state.replicas) {
        if (r === this.#brokerId) continue;
        const f = (wasLeader ? this.#followers.get(r) : undefined) ?? new FollowerState(r, 0);
        f.resetForLeaderEpoch(now, state.isr.includes(r), this.#leaderEpochStartOffset);
        followers.set(r, f);
      }
      this.#followers = followers;
    } else {
      this.#followers.clear();
      this.#leaderEpochStartOffset = -1;
      this.#log.forgetTail();
    }
    this.#maybeIncrementHighWatermark();
    return true;
  }

  /** StopReplica: this broker no longer hosts the partition; waiters see it as not leading. */
  markStopped(): void {
    this.#stopped = true;
    this.#leader = -1;
    this.#followers.clear();
    this.#log.forgetTail();
    this.#pendingIsr = null;
  }

  get isStopped(): boolean {
    return this.#stopped;
  }

  /** The ISR the high watermark is computed over: the committed ISR plus any member of a pending proposal. */
  get maximalIsr(): readonly number[] {
    const pending = this.#pendingIsr;
    if (pending === null) return this.#isr;
    return [...new Set([...this.#isr, ...pending])];
  }

  get controllerEpoch(): number {
    return this.#controllerEpoch;
  }

  /** Checks a client's view of the leader epoch (Fetch v9+, ListOffsets v4+). -1 is not checked. */
  checkLeaderEpoch(currentLeaderEpoch: number): void {
    if (currentLeaderEpoch < 0) return;
    if (currentLeaderEpoch < this.#leaderEpoch) {
      throw new PartitionError('FENCED_LEADER_EPOCH', `leader epoch ${currentLeaderEpoch} is older than ${this.#leaderEpoch}`);
    }
    if (currentLeaderEpoch > this.#leaderEpoch) {
      throw new PartitionError('UNKNOWN_LEADER_EPOCH', `leader epoch ${currentLeaderEpoch} is newer than ${this.#leaderEpoch}`);
    }
  }

  ensureLeader(): void {
    if (!this.isLeader) throw notLeader(this.topic, this.partition);
  }

  async appendAsLeader(batches: Buffer, opts: { requiredAcks: number; minInsyncReplicas: number; logAppendTime?: number }): Promise<AppendResult> {
    this.ensureLeader();
    if (opts.requiredAcks === -1 && this.#isr.length < opts.minInsyncReplicas) {
      throw new PartitionError(
        'NOT_ENOUGH_REPLICAS',
        `ISR ${JSON.stringify(this.#isr)} of ${this.topic}-${this.partition} is smaller than min.insync.replicas ${opts.minInsyncReplicas}`,
      );
    }
    const appendOpts: { assignOffsets: boolean; leaderEpoch: number; logAppendTime?: number } = {
      assignOffsets: true,
      leaderEpoch: this.#leaderEpoch,
    };
    if (opts.logAppendTime !== undefined) appendOpts.logAppendTime = opts.logAppendTime;
    const info = await this.#log.append(batches, appendOpts);
    this.#maybeIncrementHighWatermark();
    return {
      baseOffset: info.firstOffset,
      lastOffset: info.lastOffset,
      logAppendTime: opts.logAppendTime ?? -1,
      logStartOffset: this.#log.logStartOffset,
    };
  }

  /** Reads for a consumer: never past the high watermark. */
  async readAsLeader(offset: number, maxBytes: number, minOneBatch: boolean): Promise<ReadResult> {
    this.ensureLeader();
    const hw = this.#highWatermark;
    const r = await this.#log.read(offset, { maxBytes, maxOffset: hw, minOneBatch });
    return {
      records: r.records,
      highWatermark: hw,
      lastStableOffset: hw,
      logStartOffset: this.#log.logStartOffset,
      logEndOffset: this.#log.logEndOffset,
    };
  }

  /**
   * ListOffsets by timestamp: the first record (below the high watermark) whose timestamp is at or after `ts`.
   * The time index finds the batch; only that batch's records are looked at.
   */
  async offsetForTimestamp(ts: number): Promise<{ offset: number; timestamp: number } | null> {
    const found = await this.#log.offsetForTimestamp(ts);
    if (found === null || found.offset >= this.#highWatermark) return null;
    const r = await this.#log.read(found.offset, { maxBytes: 1, maxOffset: this.#highWatermark, minOneBatch: true });
    if (r.records === null || r.records.length === 0) return null;
    const hit = firstRecordAtOrAfter(r.records, 0, ts) ?? found;
    if (hit.offset >= this.#highWatermark) return null;
    return { offset: Math.max(hit.offset, this.#log.logStartOffset), timestamp: hit.timestamp };
  }

  /**
   * Serves a follower's fetch: checks its view of the leader epoch, detects a divergent log from the epoch of its
   * last fetched batch, records its position and returns raw batches up to our log end offset.
   */
  async fetchForFollower(replicaId: number, fetch: { fetchOffset: number; lastFetchedEpoch: number; currentLeaderEpoch: number; maxBytes: number }): Promise<FollowerFetchResult> {
    this.checkLeaderEpoch(fetch.currentLeaderEpoch);
    this.ensureLeader();
    const base = { highWatermark: this.#highWatermark, logStartOffset: this.#log.logStartOffset, logEndOffset: this.#log.logEndOffset };
    if (fetch.lastFetchedEpoch >= 0) {
      const end = this.#log.endOffsetForEpoch(fetch.lastFetchedEpoch);
      if (end.epoch !== fetch.lastFetchedEpoch || end.endOffset < fetch.fetchOffset) {
        return { ...base, records: null, divergingEpoch: { epoch: end.epoch, endOffset: end.endOffset } };
      }
    }
    if (fetch.fetchOffset < this.#log.logStartOffset || fetch.fetchOffset > this.#log.logEndOffset) {
      throw new PartitionError(
        'OFFSET_OUT_OF_RANGE',
        `follower ${replicaId} fetch offset ${fetch.fetchOffset} is outside ${this.#log.logStartOffset}..${this.#log.logEndOffset} of ${this.topic}-${this.partition}`,
      );
    }
    this.updateFollowerFetchState(replicaId, fetch.fetchOffset);
    const r = await this.#log.read(fetch.fetchOffset, { maxBytes: fetch.maxBytes, minOneBatch: true });
    return {
      records: r.records,
      highWatermark: this.#highWatermark,
      logStartOffset: this.#log.logStartOffset,
      logEndOffset: this.#log.logEndOffset,
      divergingEpoch: null,
    };
  }

  /**
   * A follower fetched at `fetchOffset` (its log end offset): remember it, maybe let it into the ISR, and move the
   * high watermark.
   */
  updateFollowerFetchState(brokerId: number, fetchOffset: number): void {
    const f = this.#followers.get(brokerId);
    if (f === undefined) return;
    f.updateFetchState(fetchOffset, this.#log.logEndOffset, this.#clock.now());
    this.#maybeExpandIsr(f);
    this.#maybeIncrementHighWatermark();
  }

  /** Kafka's checkEnoughReplicasReachOffset: null while waiting, else the outcome of an acks=all append. */
  ackOutcome(lastOffset: number, minInsyncReplicas: number): 'done' | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' | 'NOT_LEADER_OR_FOLLOWER' | null {
    if (!this.isLeader) return 'NOT_LEADER_OR_FOLLOWER';
    if (this.#highWatermark <= lastOffset) return null;
    return this.#isr.length >= minInsyncReplicas ? 'done' : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
  }

  #maybeExpandIsr(f: FollowerState): void {
    if (!this.isLeader || this.#pendingIsr !== null || this.#isr.includes(f.brokerId)) return;
    if (f.logEndOffset < this.#highWatermark || f.logEndOffset < this.#leaderEpochStartOffset) return;
    this.#proposeIsr([...this.#isr, f.brokerId]);
  }

  /** Periodic check: followers that have not caught up within `maxLagMs` leave the ISR. */
  maybeShrinkIsr(maxLagMs: number): void {
    if (!this.isLeader || this.#pendingIsr !== null) return;
    const now = this.#clock.now();
    const leo = this.#log.logEndOffset;
    const outOfSync = this.#isr.filter((id) => {
      if (id === this.#brokerId) return false;
      const f = this.#followers.get(id);
      return f === undefined || f.isOutOfSync(leo, now, maxLagMs);
    });
    if (outOfSync.length === 0) return;
    this.#proposeIsr(this.#isr.filter((id) => !outOfSync.includes(id)));
  }

  #proposeIsr(newIsr: number[]): void {
    const sink = this.#alterIsr;
    if (sink === undefined || this.#clock.now() < this.#alterIsrBlockedUntil) return;
    const epoch = this.#leaderEpoch;
    this.#pendingIsr = newIsr;
    sink.submit(
      { topic: this.topic, partition: this.partition, leaderEpoch: epoch, newIsr, currentIsrVersion: this.#zkVersion },
      (result) => this.#onAlterIsrResult(newIsr, epoch, result),
    );
  }

  #onAlterIsrResult(proposed: number[], epoch: number, result: AlterIsrPartitionResult | null): void {
    if (this.#pendingIsr !== proposed || this.#leaderEpoch !== epoch) return;
    if (result !== null && result.errorCode !== 0 && (result.leaderEpoch !== epoch || result.currentIsrVersion < 0)) {
      // Fenced by a newer leader epoch or partition unknown: the LeaderAndIsr on its way resets the state. Until
      // then the proposal stays pending, so the high watermark keeps counting every replica it names.
      return;
    }
    this.#pendingIsr = null;
    if (result === null) {
      // Not delivered: propose again after a pause.
      this.#alterIsrBlockedUntil = this.#clock.now() + 1000;
      return;
    }
    // Success, or a rejection in our epoch (for example a stale znode version): either way the answer carries the
    // ISR ZooKeeper holds, which is the one to go on from.
    if (result.errorCode !== 0) this.#alterIsrBlockedUntil = this.#clock.now() + 1000;
    this.#isr = [...result.isr];
    this.#zkVersion = result.currentIsrVersion;
    this.#maybeIncrementHighWatermark();
  }

  /** Returns true when the high watermark moved. */
  #maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader) return false;
    let hw = this.#log.logEndOffset;
    for (const id of this.maximalIsr) {
      if (id === this.#brokerId) continue;
      const f = this.#followers.get(id);
      hw = Math.min(hw, f === undefined || f.logEndOffset < 0 ? this.#highWatermark : f.logEndOffset);
    }
    if (hw > this.#highWatermark) {
      this.#highWatermark = hw;
      this.#log.updateHighWatermark(hw);
      this.#onHighWatermarkChange();
      return true;
    }
    return false;
  }

  // ---- follower side ------------------------------------------------------------------------------------------

  /** Appends batches fetched from the leader, keeping their offsets and epochs, then takes the leader's high watermark. */
  async appendAsFollower(records: Buffer, leaderHighWatermark: number): Promise<void> {
    await this.#log.append(records, { assignOffsets: false, leaderEpoch: this.#leaderEpoch });
    this.updateFollowerHighWatermark(leaderHighWatermark);
  }

  /** The follower's high watermark: the leader's, bounded by what this log holds; it never moves back while the data stays. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    const leo = this.#log.logEndOffset;
    const hw = Math.min(Math.max(leaderHighWatermark, Math.min(this.#highWatermark, leo)), leo);
    if (hw === this.#highWatermark) return;
    this.#highWatermark = hw;
    this.#log.updateHighWatermark(hw);
  }

  /** Follower truncation (a divergent tail, or a fetch offset the leader no longer has). */
  async truncateTo(offset: number): Promise<void> {
    await this.#log.truncateTo(offset);
    this.#highWatermark = Math.min(this.#highWatermark, this.#log.logEndOffset);
    this.#log.updateHighWatermark(this.#highWatermark);
  }

  /** The leader's log start offset moved (DeleteRecords, retention): follow it. */
  async advanceLogStartOffsetAsFollower(offset: number): Promise<void> {
    if (offset > this.#log.logStartOffset && offset <= this.#log.logEndOffset) await this.#log.deleteRecordsBefore(offset);
  }

  async truncateFullyAndStartAt(offset: number): Promise<void> {
    await this.#log.truncateFullyAndStartAt(offset);
    this.#highWatermark = offset;
    this.#log.updateHighWatermark(offset);
  }

  async deleteRecordsBefore(offset: number): Promise<number> {
    this.ensureLeader();
    const target = offset === -1 ? this.#highWatermark : offset;
    if (target < 0 || target > this.#highWatermark) {
      throw new PartitionError('OFFSET_OUT_OF_RANGE', `offset ${offset} is beyond the high watermark ${this.#highWatermark}`);
    }
    if (target > this.#log.logStartOffset) await this.#log.deleteRecordsBefore(target);
    return this.#log.logStartOffset;
  }
}
