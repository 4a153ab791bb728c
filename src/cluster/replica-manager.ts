import type { LogManager } from '../storage/log-manager.js';
import type { LogConfig } from '../storage/log-config.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type {
  ControllerCommandResponse,
  LeaderAndIsrPartition,
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
import { SerialQueue } from '../storage/serial-queue.js';
import { runWindowed } from '../util/windowed.js';
import { logLeaderAndIsr } from './leader-and-isr-log.js';
import type { PartitionStateOutcome } from './leader-and-isr-log.js';
import type { AlterIsrSink } from './alter-isr-manager.js';
import type { ReplicaFetchPartitionResponse, ReplicaFetchRequest, ReplicaFetchResponse } from './replica-fetch.js';

/** Partitions of one LeaderAndIsr applied at the same time (log creation and epoch checkpoints are file I/O). */
const LEADER_AND_ISR_CONCURRENCY = 32;

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
  /** LeaderAndIsr and StopReplica, one at a time (Kafka's replicaStateChangeLock). */
  readonly #stateChanges = new SerialQueue();
  #stopping = false;
  #shutDown = false;
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

  /**
   * Applies a LeaderAndIsr. Requests (and StopReplicas) are applied one at a time, in arrival order (Kafka's
   * replicaStateChangeLock); the partitions of one request are independent and are applied up to
   * LEADER_AND_ISR_CONCURRENCY at a time, so that creating thousands of logs does not wait on one fsync after another.
   */
  becomeLeaderOrFollower(req: LeaderAndIsrRequest): Promise<ControllerCommandResponse> {
    return this.#stateChanges.run(() => this.#becomeLeaderOrFollower(req));
  }

  async #becomeLeaderOrFollower(req: LeaderAndIsrRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) {
      this.#logger.warn('ignoring LeaderAndIsr from a stale controller', { controllerId: req.controllerId, controllerEpoch: req.controllerEpoch });
      return { errorCode: errorCode('STALE_CONTROLLER_EPOCH'), partitionErrors: [] };
    }
    this.#controllerEpoch = req.controllerEpoch;
    // The checkpoint file is read only when this request brings partitions new to this broker, once.
    let hws: Promise<Map<string, number>> | undefined;
    const highWatermarks = (): Promise<Map<string, number>> => (hws ??= this.#logs.readHighWatermarks());
    const outcomes = await runWindowed(req.partitions, LEADER_AND_ISR_CONCURRENCY, (state) => this.#applyPartitionState(state, highWatermarks));
    const nowFollowing: Partition[] = [];
    const leadership: LeadershipChange[] = [];
    for (const o of outcomes) {
      if (o.leadership !== undefined) leadership.push(o.leadership);
      if (o.following !== undefined) nowFollowing.push(o.following);
    }
    // A broker shutting down follows nobody: it is leaving the ISR of everything it hosts and about to exit.
    if (nowFollowing.length > 0 && !this.#stopping) this.#fetchers?.addPartitions(nowFollowing);
    logLeaderAndIsr(this.#logger, req, outcomes);
    this.#emitLeadershipChanges(leadership);
    return { errorCode: 0, partitionErrors: outcomes.map((o) => ({ topic: o.state.topic, partition: o.state.partition, errorCode: o.errorCode })) };
  }

  /** One partition of a LeaderAndIsr; never throws (a failure is the partition's error code). */
  async #applyPartitionState(state: LeaderAndIsrPartition, highWatermarks: () => Promise<Map<string, number>>): Promise<PartitionStateOutcome> {
    if (!state.replicas.includes(this.#brokerId)) return { state, errorCode: errorCode('UNKNOWN_TOPIC_OR_PARTITION') };
    if (this.#shutDown) return { state, errorCode: errorCode('BROKER_NOT_AVAILABLE') };
    try {
      const key = partitionKey(state.topic, state.partition);
      let p = this.#partitions.get(key);
      if (p === undefined) {
        // A broker shutting down takes on no new replicas (it is handing its partitions over, and its logs are
        // about to be closed); those it hosts still follow the controller's decisions until it stops.
        if (this.#stopping) return { state, errorCode: errorCode('BROKER_NOT_AVAILABLE') };
        const log = await this.#logs.getOrCreateLog(state.topic, state.partition, this.#configs.logConfig(state.topic));
        const hw = (await highWatermarks()).get(`${state.topic}-${state.partition}`) ?? 0;
        // Another lane of this request may have named the same partition and got here first.
        p = this.#partitions.get(key) ?? new Partition({
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
      if (!p.applyLeaderAndIsr(state)) return { state, errorCode: 0 };
      // Out of the fetcher at once, as Kafka does before making leaders or followers: the fetcher must not go on
      // fetching (or appending) under the old leader while the rest of the request is applied.
      this.#fetchers?.removePartitions([p]);
      this.waiters.notify(key);
      const leadership = p.isLeader || wasLeader ? { topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, isLeader: p.isLeader } : undefined;
      // Kafka records the new leader's epoch at its log end offset before any append, so followers asking
      // about the previous epoch learn exactly where it ended here. Its failure is the partition's error; the
      // leadership change stands (the state was applied).
      let failure = 0;
      if (p.isLeader) {
        try {
          await p.log.maybeAssignEpochStartOffset(p.leaderEpoch);
        } catch (err) {
          this.#logger.error('failed to apply LeaderAndIsr', { topic: state.topic, partition: state.partition, err: String(err) });
          failure = errorCodeOf(err);
        }
      }
      return {
        state,
        errorCode: failure,
        role: p.isLeader ? 'leader' : 'follower',
        ...(leadership === undefined ? {} : { leadership }),
        ...(!p.isLeader && p.leader >= 0 ? { following: p } : {}),
      };
    } catch (err) {
      this.#logger.error('failed to apply LeaderAndIsr', { topic: state.topic, partition: state.partition, err: String(err) });
      return { state, errorCode: errorCodeOf(err) };
    }
  }

  stopReplicas(req: StopReplicaRequest): Promise<ControllerCommandResponse> {
    return this.#stateChanges.run(() => this.#stopReplicas(req));
  }

  async #stopReplicas(req: StopReplicaRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) return { errorCode: errorCode('STALE_CONTROLLER_EPOCH'), partitionErrors: [] };
    if (this.#shutDown) {
      // The logs are closing: deleting one now would race the close.
      return { errorCode: 0, partitionErrors: req.partitions.map((s) => ({ topic: s.topic, partition: s.partition, errorCode: errorCode('BROKER_NOT_AVAILABLE') })) };
    }
    this.#controllerEpoch = req.controllerEpoch;
    const partitionErrors: PartitionErrorEntry[] = [];
    const leadership: LeadershipChange[] = [];
    const stopped: Partition[] = [];
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
          stopped.push(p);
        }
        this.waiters.notify(key);
        if (s.deletePartition) {
          this.#fetchers?.removePartitions(stopped.splice(0));
          await this.#logs.deleteLog(s.topic, s.partition);
          this.#logger.info('deleted partition', { topic: s.topic, partition: s.partition });
        }
        partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: 0 });
      } catch (err) {
        partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: errorCodeOf(err) });
      }
    }
    this.#fetchers?.removePartitions(stopped);
    this.#emitLeadershipChanges(leadership);
    return { errorCode: 0, partitionErrors };
  }

  /**
   * The broker has begun to shut down: LeaderAndIsr no longer creates partitions (see #applyPartitionState) nor
   * starts fetching for the partitions it makes followers.
   */
  beginShutdown(): void {
    this.#stopping = true;
  }

  /**
   * Broker shutdown, before the logs close: no LeaderAndIsr or StopReplica is applied any more; resolves once the
   * one being applied has finished (it creates no further logs).
   */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await this.#stateChanges.run(async () => {});
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
      const hosted = this.partition(x.topic, x.partition);
      if (hosted === undefined || !hosted.isLeader) {
        // leaderPartition's answer without building an Error per partition: a follower still asking for thousands
        // of partitions this broker just stopped leading must not cost a stack trace each.
        const name = hosted === undefined && !this.#knownInCluster(x.topic, x.partition) ? 'UNKNOWN_TOPIC_OR_PARTITION' : 'NOT_LEADER_OR_FOLLOWER';
        out.push({ ...empty, errorCode: errorCode(name), logStartOffset: hosted?.logStartOffset ?? -1, logEndOffset: hosted?.logEndOffset ?? -1 });
        continue;
      }
      try {
        const r = await hosted.fetchForFollower(replicaId, {
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
