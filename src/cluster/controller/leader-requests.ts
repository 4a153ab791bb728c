import { errorCode } from '../../protocol/error-codes.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import type { AlterIsrPartitionResult, AlterIsrRequest, AlterIsrResponse } from '../controller-requests.js';
import type { PartitionEntry } from './controller-context.js';
import type { ControllerOps } from './controller-ops.js';
import { StaleZkVersionError } from './controller-zk.js';
import type { ZkPartitionState } from './controller-zk.js';
import { electForControlledShutdown, removeReplicaFromIsr } from './leader-election.js';
import { readPartitionStates } from './partition-state-batch.js';

export interface ControlledShutdownResult {
  errorCode: number;
  remaining: { topic: string; partition: number }[];
}

/** What brokers ask of the active controller: ControlledShutdown and AlterIsr. Both run on the event queue. */
export class LeaderRequests {
  readonly #ops: ControllerOps;

  constructor(ops: ControllerOps) {
    this.#ops = ops;
  }

  /**
   * Kafka's KafkaController.doControlledShutdown: the broker is marked shutting down; partitions (RF > 1) it
   * leads get a new leader from the live ISR; for those it then follows it gets StopReplica(delete=false) and
   * leaves the ISR. The answer lists what it still leads.
   */
  async controlledShutdown(brokerId: number, brokerEpoch: number): Promise<ControlledShutdownResult> {
    const { ctx } = this.#ops;
    const b = ctx.brokers.get(brokerId);
    if (b === undefined) return { errorCode: 0, remaining: [] };
    if (brokerEpoch >= 0 && brokerEpoch < b.epoch) return { errorCode: errorCode('STALE_BROKER_EPOCH'), remaining: [] };
    ctx.shuttingDown.add(brokerId);
    const hosted = [...ctx.partitions.values()].filter(
      (e) => e.replicas.includes(brokerId) && e.replicas.length > 1 && e.state !== null && !ctx.topicsToDelete.has(e.topic),
    );
    const led = hosted.filter((e) => e.state?.leader === brokerId);
    await this.#ops.changeLeadership(led, (e, cur) => electForControlledShutdown(e.replicas, cur, (id) => ctx.brokers.has(id), ctx.shuttingDown));
    // Partitions it now follows (including those it just stopped leading): StopReplica (keep the log) so it
    // stops fetching, then out of the ISR; the LeaderAndIsr of that change goes to the other replicas only
    // (Kafka's OfflineReplica transition), so nothing restarts its fetchers.
    const followed = hosted.filter((e) => e.state?.leader !== brokerId);
    if (followed.length > 0) {
      const stop = followed.map((e) => ({ topic: e.topic, partition: e.partition, leaderEpoch: e.state?.leaderEpoch ?? -1, deletePartition: false }));
      this.#ops.sendStopReplica(brokerId, stop);
    }
    await this.#ops.changeLeadership(followed, (_e, cur) => removeReplicaFromIsr(cur, brokerId), brokerId);
    // Still led here: report only partitions that another live replica could take over, so that a retry can
    // help. Kafka also lists those without any candidate, which only makes the last broker of a cluster wait
    // through every retry before it stops.
    const stillLed = hosted.filter((e) => e.state?.leader === brokerId);
    const hasCandidate = (e: (typeof hosted)[number]): boolean => e.replicas.some((r) => r !== brokerId && ctx.isAlive(r));
    const remaining = stillLed.filter(hasCandidate).map((e) => ({ topic: e.topic, partition: e.partition }));
    return { errorCode: 0, remaining };
  }

  /**
   * AlterIsr from a partition leader: the ISR it reports is written to the state znode (same leader epoch, new
   * znode version) when the broker epoch, leader and leader epoch and znode version all match what the
   * controller knows, and every added replica is alive and not shutting down; then every broker learns the
   * new ISR through UpdateMetadata. Returns the answer and the partitions whose ISR changed.
   */
  async alterIsr(req: AlterIsrRequest): Promise<{ response: AlterIsrResponse; changed: PartitionEntry[] }> {
    const { ctx, zk } = this.#ops;
    const b = ctx.brokers.get(req.brokerId);
    if (b === undefined || (req.brokerEpoch >= 0 && b.epoch !== req.brokerEpoch)) {
      return { response: { errorCode: errorCode('STALE_BROKER_EPOCH'), partitions: [] }, changed: [] };
    }
    const fence = this.#ops.fence();
    const results: AlterIsrPartitionResult[] = [];
    const changed: PartitionEntry[] = [];
    const resultOf = (p: { topic: string; partition: number }, e: PartitionEntry | undefined, name: ErrorName | null): AlterIsrPartitionResult => ({
      topic: p.topic, partition: p.partition, errorCode: name === null ? 0 : errorCode(name), leader: e?.state?.leader ?? -1, leaderEpoch: e?.state?.leaderEpoch ?? -1, isr: e?.state?.isr ?? [], currentIsrVersion: e?.zkVersion ?? -1,
    });
    // The accepted proposals are written together, pipelined (one batch); a partition named twice in one request
    // first flushes the batch so that its second proposal is judged against the first one's outcome, as before.
    let batch: { index: number; e: PartitionEntry; state: ZkPartitionState }[] = [];
    const batched = new Set<PartitionEntry>();
    const outcome: { failure: Error | null } = { failure: null };
    const flush = async (): Promise<void> => {
      const writing = batch;
      batch = [];
      batched.clear();
      if (writing.length === 0 || outcome.failure !== null) return;
      const written = await zk.updatePartitionStates(fence, writing.map(({ e, state }) => ({ topic: e.topic, partition: e.partition, state, expectedZkVersion: e.zkVersion })));
      const stale: { index: number; e: PartitionEntry }[] = [];
      for (const [i, { index, e, state }] of writing.entries()) {
        const w = written[i];
        if (w !== undefined && w.error === null) {
          e.zkVersion = w.zkVersion;
          e.state = state;
          changed.push(e);
          results[index] = resultOf(e, e, null);
        } else if (w?.error instanceof StaleZkVersionError) stale.push({ index, e });
        else outcome.failure ??= w?.error ?? new Error(`no write result for ${e.topic}-${e.partition}`);
      }
      const fresh = await readPartitionStates(zk, stale.map(({ e }) => e));
      for (const [i, { index, e }] of stale.entries()) {
        const f = fresh[i];
        if (f !== null && f !== undefined) {
          e.state = f.state;
          e.zkVersion = f.zkVersion;
        }
        results[index] = resultOf(e, e, 'INVALID_UPDATE_VERSION');
      }
    };
    for (const [index, p] of req.partitions.entries()) {
      const e = ctx.entry(p.topic, p.partition);
      if (e !== undefined && batched.has(e)) await flush();
      const fail = (name: ErrorName): void => void (results[index] = resultOf(p, e, name));
      // A topic marked for deletion still takes ISR changes while a reassignment holds its deletion back.
      if (e === undefined || e.state === null || (ctx.topicsToDelete.has(p.topic) && !ctx.isReassigning(e))) { fail('UNKNOWN_TOPIC_OR_PARTITION'); continue; }
      if (e.state.leader !== req.brokerId) { fail('NOT_LEADER_OR_FOLLOWER'); continue; }
      if (p.leaderEpoch !== e.state.leaderEpoch) { fail('FENCED_LEADER_EPOCH'); continue; }
      // Already in the proposed state (Kafka's equalsIgnoreZk): a retry whose first answer was lost succeeds.
      if (sameMembers(p.newIsr, e.state.isr)) { results[index] = resultOf(p, e, null); continue; }
      if (p.currentIsrVersion !== e.zkVersion) { fail('INVALID_UPDATE_VERSION'); continue; }
      if (!p.newIsr.includes(req.brokerId) || p.newIsr.some((r) => !e.replicas.includes(r))) { fail('INVALID_REQUEST'); continue; }
      const added = p.newIsr.filter((r) => !e.state?.isr.includes(r));
      if (added.some((r) => !ctx.isAlive(r))) { fail('INELIGIBLE_REPLICA'); continue; }
      batch.push({ index, e, state: { controllerEpoch: fence.epoch, leader: e.state.leader, leaderEpoch: e.state.leaderEpoch, isr: [...p.newIsr] } });
      batched.add(e);
    }
    await flush();
    if (changed.length > 0) {
      this.#ops.logger.info('ISR changed', { partitions: changed.map((e) => ({ topic: e.topic, partition: e.partition, isr: e.state?.isr, zkVersion: e.zkVersion })) });
      this.#ops.sendUpdateMetadata(this.#ops.liveIds(), changed);
    }
    if (outcome.failure !== null) throw outcome.failure;
    return { response: { errorCode: 0, partitions: results }, changed };
  }
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}
