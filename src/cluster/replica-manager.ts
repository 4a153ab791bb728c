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
import { PartitionError, unknownPartition } from './partition-errors.js';
import { errorCodeOf } from './error-mapping.js';
import { HighWatermarkWaiters } from './high-watermark-waiters.js';

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
  /** Waiters for a partition's high watermark or log end offset to move (acks=all produce, long-poll fetch). */
  readonly waiters: HighWatermarkWaiters;

  constructor(opts: { brokerId: number; logManager: LogManager; configs: TopicConfigSource; clock: Clock; logger: Logger }) {
    this.#brokerId = opts.brokerId;
    this.#logs = opts.logManager;
    this.#configs = opts.configs;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.waiters = new HighWatermarkWaiters(opts.clock);
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
    if (p === undefined) throw unknownPartition(topic, partition);
    p.ensureLeader();
    return p;
  }

  async becomeLeaderOrFollower(req: LeaderAndIsrRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) {
      this.#logger.warn('ignoring LeaderAndIsr from a stale controller', { controllerId: req.controllerId, controllerEpoch: req.controllerEpoch });
      return { errorCode: 11, partitionErrors: [] }; // STALE_CONTROLLER_EPOCH
    }
    this.#controllerEpoch = req.controllerEpoch;
    const partitionErrors: PartitionErrorEntry[] = [];
    const hws = await this.#logs.readHighWatermarks();
    for (const state of req.partitions) {
      if (!state.replicas.includes(this.#brokerId)) {
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: 3 });
        continue;
      }
      try {
        const key = partitionKey(state.topic, state.partition);
        let p = this.#partitions.get(key);
        if (p === undefined) {
          const log = await this.#logs.getOrCreateLog(state.topic, state.partition, this.#configs.logConfig(state.topic));
          const hw = hws.get(`${state.topic}-${state.partition}`) ?? 0;
          p = new Partition({ topic: state.topic, partition: state.partition, brokerId: this.#brokerId, log, clock: this.#clock, highWatermark: hw });
          this.#partitions.set(key, p);
        }
        const applied = p.applyLeaderAndIsr(state);
        if (applied) {
          this.#logger.info(p.isLeader ? 'became leader' : 'became follower', {
            topic: state.topic,
            partition: state.partition,
            leader: state.leader,
            leaderEpoch: state.leaderEpoch,
            isr: state.isr,
          });
          this.waiters.notify(key);
        }
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: 0 });
      } catch (err) {
        this.#logger.error('failed to apply LeaderAndIsr', { topic: state.topic, partition: state.partition, err: String(err) });
        partitionErrors.push({ topic: state.topic, partition: state.partition, errorCode: errorCodeOf(err) });
      }
    }
    return { errorCode: 0, partitionErrors };
  }

  async stopReplicas(req: StopReplicaRequest): Promise<ControllerCommandResponse> {
    if (req.controllerEpoch < this.#controllerEpoch) return { errorCode: 11, partitionErrors: [] };
    this.#controllerEpoch = req.controllerEpoch;
    const partitionErrors: PartitionErrorEntry[] = [];
    for (const s of req.partitions) {
      const key = partitionKey(s.topic, s.partition);
      try {
        const p = this.#partitions.get(key);
        if (p !== undefined && s.leaderEpoch >= 0 && s.leaderEpoch < p.leaderEpoch) {
          partitionErrors.push({ topic: s.topic, partition: s.partition, errorCode: 74 }); // FENCED_LEADER_EPOCH
          continue;
        }
        this.#partitions.delete(key);
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
    if (requiredAcks === -1 && p.highWatermark <= result.lastOffset) {
      const reached = await this.waiters.waitFor(key, () => p.highWatermark > result.lastOffset || !p.isLeader, timeoutMs);
      if (!p.isLeader) throw new PartitionError('NOT_LEADER_OR_FOLLOWER', `lost leadership of ${topic}-${partition} before replication`);
      if (!reached) throw new PartitionError('REQUEST_TIMED_OUT', `replication of ${topic}-${partition} did not complete in ${timeoutMs} ms`);
    }
    return result;
  }
}
