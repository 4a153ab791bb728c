import type { LogManager } from '../storage/log-manager.js';
import type { LogConfig } from '../storage/log-config.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type {
  ControllerCommandResponse,
  LeaderAndIsrRequest,
  PartitionError as PartitionErrorEntry,
  StopReplicaRequest,
} from './controller-requests.js';
import { partitionKey } from './controller-requests.js';
import { Partition } from './partition.js';
import { PartitionError, notLeader, unknownPartition } from './partition-errors.js';
import { errorCodeOf } from './error-mapping.js';
import { errorCode } from '../protocol/error-codes.js';
import { HighWatermarkWaiters } from './high-watermark-waiters.js';
import type { AlterIsrSink } from './alter-isr-manager.js';
import type { ReplicaFetchPartitionResponse, ReplicaFetchRequest, ReplicaFetchResponse } from './replica-fetch.js';

/** The follower side: what the replica fetchers must fetch, kept current by LeaderAndIsr and StopReplica. */
export interface ReplicaFetcherControl {
  /** This broker now follows these partitions (each knows its leader and leader epoch). */
  addPartitions(partitions: Partition[]): void;
  removePartitions(partitions: Partition[]): void;
}

/** A partition this broker now leads, or no longer leads (Kafka's onLeadershipChange, used by the group coordinator). */
export interface LeadershipChange {
  topic: string;
  partition: number;
  leaderEpoch: number;
  isLeader: boolean;
}

export interface TopicConfigSource {
  logConfig(topic: string): LogConfig;
  minInsyncReplicas(topic: string): number;
}

/**
 * The partitions this broker hosts (Kafka's ReplicaManager): applies the controller's LeaderAndIsr and StopReplica,
 * appends as leader and serves reads. Handlers do protocol work only and call in here.
 */
export class ReplicaManager {
  readonly #brokerId: number;
  readonly #logs: LogManager;
  readonly #configs: TopicConfigSource;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #partitions = new Map<string, Partition>();
  #controllerEpoch = 0;
  #alterIsr: AlterIsrSink | undefined;
  #fetchers: ReplicaFetcherControl | undefined;
  readonly #leadershipListeners: ((changes: readonly LeadershipChange[]) => void)[] = [];
  /** Waiters for a partition's high watermark or log end offset to move (acks=all produce, long-poll fetch). */
  readonly waiters: HighWatermarkWaiters;

  readonly #knownInCluster: (topic: string, partition: number) => boolean;

  constructor(opts: {
    brokerId: number;
    logManager: LogManager;
    configs: TopicConfigSource;
    clock: Clock;
    logger: Logger;
    /** Whether the cluster metadata has this partition (answers NOT_LEADER_OR_FOLLOWER instead of UNKNOWN_TOPIC_OR_PARTITION). */
    knownInCluster?: (topic: string, partition: number) => boolean;
  }) {
    this.#knownInCluster = opts.knownInCluster ?? (() => false);
    this.#brokerId = opts.brokerId;
    this.#logs = opts.logManager;
    this.#configs = opts.configs;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.waiters = new HighWatermarkWaiters(opts.clock);
  }

  /** Wiring done by the broker once the peer channel exists. */
  connectReplication(opts: { alterIsr: AlterIsrSink; fetchers: ReplicaFetcherControl }): void {
    this.#alterIsr = opts.alterIsr;
    this.#fetchers = opts.fetchers;
  }

  /** Kafka's ISR expiration task: every half `replica.lag.time.max.ms`, lagging followers leave the ISR. Returns a canceller. */
  startIsrExpiration(replicaLagTimeMaxMs: number): () => void {
    let cancel = (): void => {};
    const tick = (): void => {
      for (const p of this.#partitions.values()) if (p.isLeader) p.maybeShrinkIsr(replicaLagTimeMaxMs);
      cancel = this.#clock.schedule(Math.max(1, Math.floor(replicaLagTimeMaxMs / 2)), tick);
    };
    cancel = this.#clock.schedule(Math.max(1, Math.floor(replicaLagTimeMaxMs / 2)), tick);
    return () => cancel();
  }

  /** Called after each LeaderAndIsr or StopReplica with the partitions whose leadership here began or ended. */
  onLeadershipChange(listener: (changes: readonly LeadershipChange[]) => void): void {
    this.#leadershipListeners.push(listener);
  }

  #emitLeadershipChanges(changes: LeadershipChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.#leadershipListeners) {
      try {
        listener(changes);
      } catch (err) {
        this.#logger.error('leadership listener failed', { err: String(err) });
      }
    }
  }

  get brokerId(): number {
    return this.#brokerId;
  }

  partition(topic: string, partition: number): Partition | undefined {
    return this.#partitions.get(partitionKey(topic, partition));
  }

  allPartitions(): Partition[] {
    return [...this.#partitions.values()];
  }

  leaderPartition(topic: string, partition: number): Partition {
    const p = this.partition(topic, partition);
    if (p === undefined) {
      // Kafka's getPartitionOrError: a partition the cluster has but this broker does not host is "not leader".
      throw this.#knownInCluster(topic, partition) ? notLeader(topic, partition) : unknownPartition(topic, partition);
    }
    p.ensureLeader();
    return p;
  }

  async becomeLeaderOrFollower(req: LeaderAndIsrRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) {
      this.#logger.warn('ignoring LeaderAndIsr from a stale controller', { controllerId: req.controllerId, controllerEpoch: req.controllerEpoch });
      return { errorCode: errorCode('STALE_CONTROLLER_EPOCH'), partitionErrors: [] };
    }
    this.#controllerEpoch = req.controllerEpoch;
    const partitionErrors: PartitionErrorEntry[] = [];
    // The checkpoint file is read only when this request brings partitions new to this broker, once.
    let hws: Map<string, number> | undefined;
    const nowFollowing: Partition[] = [];
    const notFollowing: Partition[] = [];
    const leadership: LeadershipChange[] = [];
    for (const state of req.partitions) {
      if (!state.replicas.includes(this.#brokerId)) {
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: errorCode('UNKNOWN_TOPIC_OR_PARTITION') });
        continue;
      }
      try {
        const key = partitionKey(state.topic, state.partition);
        let p = this.#partitions.get(key);
        if (p === undefined) {
          const log = await this.#logs.getOrCreateLog(state.topic, state.partition, this.#configs.logConfig(state.topic));
          hws ??= await this.#logs.readHighWatermarks();
          const hw = hws.get(`${state.topic}-${state.partition}`) ?? 0;
          p = new Partition({
            topic: state.topic,
            partition: state.partition,
            brokerId: this.#brokerId,
            log,
            clock: this.#clock,
            highWatermark: hw,
            ...(this.#alterIsr === undefined ? {} : { alterIsr: this.#alterIsr }),
            onHighWatermarkChange: () => this.waiters.notify(key),
          });
          this.#partitions.set(key, p);
        }
        const wasLeader = p.isLeader;
        const applied = p.applyLeaderAndIsr(state);
        if (applied) {
          if (p.isLeader || wasLeader) leadership.push({ topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, isLeader: p.isLeader });
          this.#logger.info(p.isLeader ? 'became leader' : 'became follower', {
            topic: state.topic,
            partition: state.partition,
            leader: state.leader,
            leaderEpoch: state.leaderEpoch,
            isr: state.isr,
          });
          this.waiters.notify(key);
          // Kafka records the new leader's epoch at its log end offset before any append, so followers asking
          // about the previous epoch learn exactly where it ended here.
          if (p.isLeader) await p.log.maybeAssignEpochStartOffset(p.leaderEpoch);
          if (!p.isLeader && p.leader >= 0) nowFollowing.push(p);
          else notFollowing.push(p);
        }
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: 0 });
      } catch (err) {
        this.#logger.error('failed to apply LeaderAndIsr', { topic: state.topic, partition: state.partition, err: String(err) });
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: errorCodeOf(err) });
      }
    }
    if (notFollowing.length > 0) this.#fetchers?.removePartitions(notFollowing);
    if (nowFollowing.length > 0) this.#fetchers?.addPartitions(nowFollowing);
    this.#emitLeadershipChanges(leadership);
    return { errorCode: 0, partitionErrors };
  }

  async stopReplicas(req: StopReplicaRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) return { errorCode: errorCode('STALE_CONTROLLER_EPOCH'), partitionErrors: [] };
    this.#controllerEpoch = req.controllerEpoch;
    const partitionErrors: PartitionErrorEntry[] = [];
    const leadership: LeadershipChange[] = [];
    for (const s of req.partitions) {
      const key = partitionKey(s.topic, s.partition);
      try {
        const p = this.#partitions.get(key);
        if (p !== undefined && s.leaderEpoch >= 0 && s.leaderEpoch < p.leaderEpoch) {
          partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: errorCode('FENCED_LEADER_EPOCH') });
          continue;
        }
        // Without deletion the replica stays hosted (stopped, leaderless): its high watermark stays checkpointed.
        if (s.deletePartition) this.#partitions.delete(key);
        if (p !== undefined) {
          if (p.isLeader) leadership.push({ topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, isLeader: false });
          p.markStopped();
          this.#fetchers?.removePartitions([p]);
        }
        this.waiters.notify(key);
        if (s.deletePartition) {
          await this.#logs.deleteLog(s.topic, s.partition);
          this.#logger.info('deleted partition', { topic: s.topic, partition: s.partition });
        }
        partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: 0 });
      } catch (err) {
        partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: errorCodeOf(err) });
      }
    }
    this.#emitLeadershipChanges(leadership);
    return { errorCode: 0, partitionErrors };
  }

  /** High watermarks of the partitions this broker leads or follows, for replication-offset-checkpoint. */
  async checkpointHighWatermarks(): Promise<void> {
    const hws = new Map<string, number>();
    for (const p of this.#partitions.values()) hws.set(`${p.topic}-${p.partition}`, p.highWatermark);
    await this.#logs.writeHighWatermarks(hws);
  }

  /**
   * Appends one partition's batches as leader. With acks=-1 the promise resolves once the high watermark passes
   * the batch (or rejects with REQUEST_TIMED_OUT after `timeoutMs`).
   */
  async appendRecords(topic: string, partition: number, batches: Buffer, requiredAcks: number, timeoutMs: number) {
    const p = this.leaderPartition(topic, partition);
    const config = this.#configs.logConfig(topic);
    const opts: { requiredAcks: number; minInsyncReplicas: number; logAppendTime?: number } = {
      requiredAcks,
      minInsyncReplicas: this.#configs.minInsyncReplicas(topic),
    };
    if (config.messageTimestampType === 'LogAppendTime') opts.logAppendTime = this.#clock.now();
    const result = await p.appendAsLeader(batches, opts);
    const key = partitionKey(topic, partition);
    this.waiters.notify(key);
    if (requiredAcks === -1) {
      await this.waiters.waitFor(key, () => p.ackOutcome(result.lastOffset, opts.minInsyncReplicas) !== null, timeoutMs);
      const outcome = p.ackOutcome(result.lastOffset, opts.minInsyncReplicas);
      if (outcome === null) throw new PartitionError('REQUEST_TIMED_OUT', `replication of ${topic}-${partition} did not complete in ${timeoutMs} ms`);
      if (outcome === 'NOT_LEADER_OR_FOLLOWER') throw new PartitionError(outcome, `lost leadership of ${topic}-${partition} before replication`);
      if (outcome !== 'done') throw new PartitionError(outcome, `ISR of ${topic}-${partition} shrank below min.insync.replicas while waiting`);
    }
    return result;
  }

  /**
   * A follower's fetch (leader side). Each partition records the follower's position and answers with raw
   * batches; with nothing to send the request waits up to `maxWaitMs` for any of its partitions to grow.
   */
  async fetchForFollower(replicaId: number, req: ReplicaFetchRequest): Promise<ReplicaFetchResponse> {
    let partitions = await this.#readForFollower(replicaId, req);
    const bytes = (): number => partitions.reduce((n, r) => n + (r.records?.length ?? 0), 0);
    if (req.maxWaitMs > 0 && bytes() < Math.max(1, req.minBytes) && partitions.every((r) => r.errorCode === 0 && r.divergingEpoch === null)) {
      const keys = req.partitions.map((x) => partitionKey(x.topic, x.partition));
      const watched = req.partitions.map((x) => ({ x, p: this.partition(x.topic, x.partition) }));
      await this.waiters.waitForAny(
        keys,
        () => watched.some(({ x, p }) => p === undefined || !p.isLeader || p.leaderEpoch !== x.currentLeaderEpoch || p.logEndOffset > x.fetchOffset),
        req.maxWaitMs,
      );
      partitions = await this.#readForFollower(replicaId, req);
    }
    return { errorCode: 0, partitions };
  }

  async #readForFollower(replicaId: number, req: ReplicaFetchRequest): Promise<ReplicaFetchPartitionResponse[]> {
    let budget = req.maxBytes;
    const out: ReplicaFetchPartitionResponse[] = [];
    for (const x of req.partitions) {
      const empty = { topic: x.topic, partition: x.partition, highWatermark: -1, logStartOffset: -1, logEndOffset: -1, divergingEpoch: null, records: null };
      try {
        const p = this.leaderPartition(x.topic, x.partition);
        const r = await p.fetchForFollower(replicaId, {
          fetchOffset: x.fetchOffset,
          lastFetchedEpoch: x.lastFetchedEpoch,
          currentLeaderEpoch: x.currentLeaderEpoch,
          maxBytes: Math.max(0, Math.min(x.partitionMaxBytes, budget)),
        });
        budget -= r.records?.length ?? 0;
        out.push({ topic: x.topic, partition: x.partition, errorCode: 0, ...r });
      } catch (err) {
        const p = this.partition(x.topic, x.partition);
        out.push({ ...empty, errorCode: errorCodeOf(err), logStartOffset: p?.logStartOffset ?? -1, logEndOffset: p?.logEndOffset ?? -1 });
      }
    }
    return out;
  }
}
