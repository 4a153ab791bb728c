import { firstRecordAtOrAfter } from '../protocol/record-timestamps.js';
import type { PartitionLog } from '../storage/partition-log.js';
import type { Clock } from '../util/clock.js';
import type { LeaderAndIsrPartition } from './controller-requests.js';
import { PartitionError, notLeader } from './partition-errors.js';

export interface AppendResult {
  baseOffset: number;
  lastOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export interface ReadResult {
  records: Buffer | null;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  logEndOffset: number;
}

interface FollowerState {
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
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

  constructor(opts: { topic: string; partition: number; brokerId: number; log: PartitionLog; clock: Clock; highWatermark: number }) {
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.#brokerId = opts.brokerId;
    this.#log = opts.log;
    this.#clock = opts.clock;
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
    if (this.isLeader && !wasLeader) {
      const now = this.#clock.now();
      this.#followers = new Map(
        state.replicas.filter((r) => r !== this.#brokerId).map((r) => [r, { logEndOffset: -1, lastCaughtUpTimeMs: now }]),
      );
    }
    this.#maybeIncrementHighWatermark();
    return true;
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

  /** A follower reported its log end offset (replication). */
  updateFollowerOffset(brokerId: number, logEndOffset: number): void {
    const f = this.#followers.get(brokerId);
    if (f === undefined) return;
    f.logEndOffset = logEndOffset;
    if (logEndOffset >= this.#log.logEndOffset) f.lastCaughtUpTimeMs = this.#clock.now();
    this.#maybeIncrementHighWatermark();
  }

  /** Returns true when the high watermark moved. */
  #maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader) return false;
    let hw = this.#log.logEndOffset;
    for (const id of this.#isr) {
      if (id === this.#brokerId) continue;
      const f = this.#followers.get(id);
      hw = Math.min(hw, f === undefined || f.logEndOffset < 0 ? this.#highWatermark : f.logEndOffset);
    }
    if (hw > this.#highWatermark) {
      this.#highWatermark = hw;
      this.#log.updateHighWatermark(hw);
      return true;
    }
    return false;
  }

  /** Follower side: the leader told us its high watermark. */
  setHighWatermarkAsFollower(hw: number): void {
    this.#highWatermark = Math.min(hw, this.#log.logEndOffset);
    this.#log.updateHighWatermark(this.#highWatermark);
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
