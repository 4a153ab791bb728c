import type { ErrorName } from '../../protocol/error-codes.js';
import type { PartitionEntry } from './controller-context.js';
import type { ControllerOps } from './controller-ops.js';
import type { TopicAssignment, ZkReassignment } from './controller-zk.js';

export interface ReassignmentRequest {
  topic: string;
  partition: number;
  /** The target replicas, or null to cancel the partition's reassignment. */
  replicas: number[] | null;
}

export interface ReassignmentResult {
  topic: string;
  partition: number;
  error: ErrorName | null;
  message: string | null;
}

export interface OngoingReassignment {
  topic: string;
  partition: number;
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

const distinct = (ids: number[]): number[] => [...new Set(ids)];
const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Kafka's original replicas (ORS): the replica set minus the replicas being added. */
export function originReplicas(e: PartitionEntry): number[] {
  return e.replicas.filter((r) => !e.addingReplicas.includes(r));
}

/** Kafka's target replicas (TRS): the replica set minus the replicas being removed. */
export function targetReplicas(e: PartitionEntry): number[] {
  return e.replicas.filter((r) => !e.removingReplicas.includes(r));
}

/**
 * Partition reassignment as KafkaController.onPartitionReassignment does it (ZooKeeper mode, Kafka 2.4+):
 * RS = TRS + ORS is written to the topic znode with adding/removing replicas, the leader epoch is bumped and
 * LeaderAndIsr goes to all of RS so new replicas start fetching. Once every target replica is in the ISR the
 * leader moves into TRS if needed, ISR = ISR ∩ TRS with a new leader epoch, removed replicas get
 * StopReplica(deletePartition=true), the topic znode gets the final assignment and brokers get UpdateMetadata.
 * Sources of reassignments: the AlterPartitionReassignments API and the /admin/reassign_partitions znode.
 */
export class PartitionReassignments {
  readonly #ops: ControllerOps;
  readonly #onCompleted: () => Promise<void>;

  /** `onCompleted` runs after a reassignment finishes (topic deletions that waited for it resume). */
  constructor(ops: ControllerOps, onCompleted: () => Promise<void> = async () => undefined) {
    this.#ops = ops;
    this.#onCompleted = onCompleted;
  }

  /** AlterPartitionReassignments: validates, then starts (or cancels) each partition's reassignment. */
  async alter(requests: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    const results: ReassignmentResult[] = [];
    const started: { e: PartitionEntry; target: number[] }[] = [];
    for (const r of requests) {
      const e = this.#ops.ctx.entry(r.topic, r.partition);
      const fail = (error: ErrorName, message: string): void => void results.push({ topic: r.topic, partition: r.partition, error, message });
      if (e === undefined || this.#ops.ctx.topicsToDelete.has(r.topic)) { fail('UNKNOWN_TOPIC_OR_PARTITION', 'The partition does not exist.'); continue; }
      if (r.replicas === null) {
        if (!this.#ops.ctx.isReassigning(e)) { fail('NO_REASSIGNMENT_IN_PROGRESS', `No reassignment in progress for ${r.topic}-${r.partition}`); continue; }
        started.push({ e, target: originReplicas(e) });
      } else {
        const invalid = this.#validate(r.replicas);
        if (invalid !== null) { fail('INVALID_REPLICA_ASSIGNMENT', invalid); continue; }
        started.push({ e, target: r.replicas });
      }
      results.push({ topic: r.topic, partition: r.partition, error: null, message: null });
    }
    // An API reassignment overrides one requested through the znode for the same partition.
    const keys = new Set(started.map(({ e }) => `${e.topic}/${e.partition}`));
    await this.#removeFromZkNode((z) => keys.has(`${z.topic}/${z.partition}`));
    for (const { e, target } of started) await this.#start(e, target);
    return results;
  }

  /** ListPartitionReassignments: the ongoing reassignments, optionally only those of the given partitions. */
  list(filter: { topic: string; partition: number }[] | null): OngoingReassignment[] {
    const entries = filter === null
      ? [...this.#ops.ctx.partitions.values()]
      : filter.map((p) => this.#ops.ctx.entry(p.topic, p.partition)).filter((e): e is PartitionEntry => e !== undefined);
    return entries
      .filter((e) => this.#ops.ctx.isReassigning(e))
      .map((e) => ({ topic: e.topic, partition: e.partition, replicas: [...e.replicas], addingReplicas: [...e.addingReplicas], removingReplicas: [...e.removingReplicas] }));
  }

  /** The /admin/reassign_partitions znode appeared or changed: start what it lists that is not already running. */
  async onZkNodeChange(): Promise<void> {
    const listed = await this.#ops.zk.reassignments(this.#ops.watch('zk-partition-reassignment', () => this.onZkNodeChange()));
    if (listed === null) return;
    const failed = new Set<string>();
    for (const z of listed) {
      const e = this.#ops.ctx.entry(z.topic, z.partition);
      if (e !== undefined && this.#ops.ctx.isReassigning(e) && sameList(targetReplicas(e), z.replicas)) continue;
      const invalid = e === undefined || this.#ops.ctx.topicsToDelete.has(z.topic) ? 'The partition does not exist.' : this.#validate(z.replicas);
      if (invalid !== null || e === undefined) {
        this.#ops.logger.warn('rejected reassignment from /admin/reassign_partitions', { topic: z.topic, partition: z.partition, replicas: z.replicas, reason: invalid });
        failed.add(`${z.topic}/${z.partition}`);
        continue;
      }
      await this.#start(e, z.replicas);
      if (!this.#ops.isActive()) return;
    }
    if (failed.size > 0) await this.#removeFromZkNode((z) => failed.has(`${z.topic}/${z.partition}`));
  }

  /** After failover: reassignments recorded in topic znodes carry on, then the admin znode is processed. */
  async resume(): Promise<void> {
    const ongoing = [...this.#ops.ctx.partitions.values()].filter((e) => this.#ops.ctx.isReassigning(e));
    if (ongoing.length > 0) {
      this.#ops.logger.info('resuming partition reassignments', { partitions: ongoing.map((e) => `${e.topic}-${e.partition}`) });
      await this.#ops.changeLeadership(ongoing.filter((e) => e.state !== null), (_e, cur) => ({ ...cur, leaderEpoch: cur.leaderEpoch + 1 }));
      for (const e of ongoing) await this.maybeComplete(e);
    }
    await this.onZkNodeChange();
  }

  /** ISR changes (AlterIsr) and returning brokers may let reassignments of these partitions finish. */
  async onIsrChanged(entries: PartitionEntry[]): Promise<void> {
    for (const e of entries) if (this.#ops.ctx.isReassigning(e)) await this.maybeComplete(e);
  }

  #validate(replicas: number[]): string | null {
    if (replicas.length === 0) return 'Empty replica list specified in partition reassignment.';
    if (distinct(replicas).length !== replicas.length) return `Duplicate replica ids in partition reassignment replica list: ${replicas.join(',')}`;
    if (replicas.some((r) => !Number.isInteger(r) || r < 0)) return `Invalid broker id in replica list: ${replicas.join(',')}`;
    const notAlive = replicas.filter((r) => !this.#ops.ctx.isAlive(r));
    if (notAlive.length > 0) {
      return `Replica assignment has brokers that are not alive. Replica list: ${replicas.join(',')}, live broker list: ${this.#ops.liveIds().join(',')}`;
    }
    return null;
  }

  async #start(e: PartitionEntry, target: number[]): Promise<void> {
    const origin = originReplicas(e);
    const previous = e.replicas;
    e.replicas = distinct([...target, ...origin]);
    e.addingReplicas = target.filter((r) => !origin.includes(r));
    e.removingReplicas = origin.filter((r) => !target.includes(r));
    this.#ops.logger.info('partition reassignment', { topic: e.topic, partition: e.partition, target, replicas: e.replicas, adding: e.addingReplicas, removing: e.removingReplicas });
    await this.#writeAssignment(e.topic);
    // Replicas an earlier reassignment was adding that the new one no longer wants (e.g. a cancellation).
    const unneeded = previous.filter((r) => !e.replicas.includes(r));
    this.#stopReplicas(e, unneeded);
    if (e.state !== null) {
      await this.#ops.changeLeadership([e], (_e, cur) => {
        const isr = cur.isr.filter((r) => e.replicas.includes(r));
        return { ...cur, leaderEpoch: cur.leaderEpoch + 1, isr: isr.length > 0 ? isr : cur.isr };
      });
    }
    await this.maybeComplete(e);
  }

  /**
   * Finishes a reassignment whose target replicas are all in the ISR: leader in TRS, ISR ∩ TRS, new leader
   * epoch; StopReplica(delete) to the removed replicas; the final assignment in ZooKeeper.
   */
  async maybeComplete(e: PartitionEntry): Promise<void> {
    if (!this.#ops.isActive() || e.state === null) return;
    const target = targetReplicas(e);
    const isr = e.state.isr;
    if (!target.every((r) => isr.includes(r))) return;
    const { isAlive } = this.#ops.ctx;
    const newIsr = isr.filter((r) => target.includes(r));
    const keepLeader = target.includes(e.state.leader) && isAlive(e.state.leader);
    if (!keepLeader && !target.some((r) => isAlive(r) && newIsr.includes(r))) {
      this.#ops.logger.info('reassignment waits for a live target replica to lead', { topic: e.topic, partition: e.partition, target });
      return;
    }
    const removed = e.replicas.filter((r) => !target.includes(r));
    const before = { replicas: e.replicas, addingReplicas: e.addingReplicas, removingReplicas: e.removingReplicas };
    // Kafka's step 6: the replica set becomes TRS in memory, so LeaderAndIsr goes to TRS only.
    e.replicas = target;
    e.addingReplicas = [];
    e.removingReplicas = [];
    const changed = await this.#ops.changeLeadership([e], (_e, cur) => {
      const curIsr = cur.isr.filter((r) => target.includes(r));
      const leader = target.includes(cur.leader) && isAlive(cur.leader) ? cur.leader : target.find((r) => isAlive(r) && curIsr.includes(r));
      if (leader === undefined || curIsr.length === 0) return null;
      return { leader, leaderEpoch: cur.leaderEpoch + 1, isr: curIsr };
    });
    if (!this.#ops.isActive()) return;
    if (changed.length === 0) {
      Object.assign(e, before);
      return;
    }
    this.#stopReplicas(e, removed);
    await this.#writeAssignment(e.topic);
    await this.#removeFromZkNode((z) => z.topic === e.topic && z.partition === e.partition);
    this.#ops.sendUpdateMetadata(this.#ops.liveIds(), [e]);
    this.#ops.logger.info('partition reassignment completed', { topic: e.topic, partition: e.partition, replicas: target, leader: e.state.leader });
    await this.#onCompleted();
  }

  #stopReplicas(e: PartitionEntry, brokerIds: number[]): void {
    const leaderEpoch = e.state?.leaderEpoch ?? -1;
    for (const id of brokerIds) {
      if (!this.#ops.ctx.brokers.has(id)) continue;
      this.#ops.sendStopReplica(id, [{ topic: e.topic, partition: e.partition, leaderEpoch, deletePartition: true }], (code) => {
        if (code !== 0) this.#ops.logger.warn('StopReplica of a reassigned-away replica failed', { topic: e.topic, partition: e.partition, brokerId: id, errorCode: code });
      });
    }
  }

  async #writeAssignment(topic: string): Promise<void> {
    const entries = this.#ops.ctx.partitionsOf(topic);
    const a: TopicAssignment = {
      partitions: new Map(entries.map((p) => [p.partition, [...p.replicas]])),
      addingReplicas: new Map(entries.filter((p) => this.#ops.ctx.isReassigning(p)).map((p) => [p.partition, [...p.addingReplicas]])),
      removingReplicas: new Map(entries.filter((p) => this.#ops.ctx.isReassigning(p)).map((p) => [p.partition, [...p.removingReplicas]])),
      topicId: this.#ops.ctx.topicIds.get(topic) ?? null,
    };
    await this.#ops.zk.setAssignment(this.#ops.fence(), topic, a);
  }

  /** Drops matching partitions from /admin/reassign_partitions (deleting it when none are left). */
  async #removeFromZkNode(matches: (z: ZkReassignment) => boolean): Promise<void> {
    const listed = await this.#ops.zk.reassignments();
    if (listed === null || !listed.some(matches)) return;
    await this.#ops.zk.setReassignments(this.#ops.fence(), listed.filter((z) => !matches(z)));
  }
}
