import { runWindowed } from '../../util/windowed.js';
import type { PartitionEntry } from './controller-context.js';
import type { Decide } from './controller-ops.js';
import { StaleZkVersionError, ZK_READ_WINDOW } from './controller-zk.js';
import type { ControllerFence, ControllerZk, TopicPartitionRef, ZkPartitionState } from './controller-zk.js';

/** How many times a partition's state write is tried when its zkVersion keeps turning out stale. */
const WRITE_ATTEMPTS = 3;

export type ZkPartitionStateRead = { state: ZkPartitionState; zkVersion: number } | null;

/** The state znodes of `refs`, read with up to ZK_READ_WINDOW requests in flight; results in the order of `refs`. */
export function readPartitionStates(zk: ControllerZk, refs: readonly TopicPartitionRef[]): Promise<ZkPartitionStateRead[]> {
  return runWindowed(refs, ZK_READ_WINDOW, (r) => zk.partitionState(r.topic, r.partition));
}

export interface LeadershipWriteOutcome {
  /** The partitions whose state znode was written (and whose entry now holds it), in the order given. */
  changed: PartitionEntry[];
  /** A partition whose re-read state was written by a newer controller: this one must resign. */
  newerController: PartitionEntry | null;
  /** The first failure other than a stale version (connection loss, ...); the writes that succeeded are in `changed`. */
  failure: Error | null;
}

/**
 * The ZooKeeper half of a leadership change, for many partitions at once: `decide` for each, all the conditional
 * state writes in one pipelined batch (ControllerZk.updatePartitionStates: epoch-checked per slice, each write
 * conditional on the entry's zkVersion); the partitions whose version was stale, and only those, are re-read
 * (pipelined), decided again and written again, up to WRITE_ATTEMPTS writes each, as the one-by-one loop did.
 * Entries are updated in place with what was written or re-read. A ControllerMovedError from the batch is thrown.
 */
export async function writeLeadership(
  zk: ControllerZk,
  fence: ControllerFence,
  entries: readonly PartitionEntry[],
  decide: Decide,
): Promise<LeadershipWriteOutcome> {
  const unique = [...new Set(entries)];
  const changed = new Set<PartitionEntry>();
  const outcome = (newerController: PartitionEntry | null, failure: Error | null): LeadershipWriteOutcome => ({
    changed: unique.filter((e) => changed.has(e)),
    newerController,
    failure,
  });
  let pending = unique;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS && pending.length > 0; attempt++) {
    const writes: { e: PartitionEntry; state: ZkPartitionState }[] = [];
    for (const e of pending) {
      const next = e.state === null ? null : decide(e, e.state);
      if (next === null) continue;
      writes.push({ e, state: { controllerEpoch: fence.epoch, leader: next.leader, leaderEpoch: next.leaderEpoch, isr: next.isr } });
    }
    if (writes.length === 0) break;
    const results = await zk.updatePartitionStates(
      fence,
      writes.map(({ e, state }) => ({ topic: e.topic, partition: e.partition, state, expectedZkVersion: e.zkVersion })),
    );
    const stale: PartitionEntry[] = [];
    let failure: Error | null = null;
    for (const [i, { e, state }] of writes.entries()) {
      const r = results[i];
      if (r === undefined) failure ??= new Error(`no write result for ${e.topic}-${e.partition}`);
      else if (r.error === null) {
        e.zkVersion = r.zkVersion;
        e.state = state;
        changed.add(e);
      } else if (r.error instanceof StaleZkVersionError) stale.push(e);
      else failure ??= r.error;
    }
    if (failure !== null) return outcome(null, failure);
    const fresh = await readPartitionStates(zk, stale);
    pending = [];
    let newer: PartitionEntry | null = null;
    for (const [i, e] of stale.entries()) {
      const f = fresh[i];
      if (f === null || f === undefined) continue; // the partition is gone
      if (f.state.controllerEpoch > fence.epoch) {
        newer ??= e;
        continue;
      }
      e.state = f.state;
      e.zkVersion = f.zkVersion;
      pending.push(e);
    }
    if (newer !== null) return outcome(newer, null);
  }
  return outcome(null, null);
}

/**
 * Creates the state znodes of new partitions in one pipelined batch (ControllerZk.createPartitionStates). A
 * partition whose create failed is re-read: an existing node (written by an earlier controller) is loaded into
 * its entry and the partition is not counted as created. Returns the created ones in the order given, and the
 * first create error whose node turned out not to exist.
 */
export async function createNewPartitionStates(
  zk: ControllerZk,
  fence: ControllerFence,
  decided: readonly { e: PartitionEntry; state: ZkPartitionState }[],
): Promise<{ created: PartitionEntry[]; failure: Error | null }> {
  if (decided.length === 0) return { created: [], failure: null };
  const results = await zk.createPartitionStates(fence, decided.map(({ e, state }) => ({ topic: e.topic, partition: e.partition, state })));
  const created: PartitionEntry[] = [];
  const failed: { e: PartitionEntry; error: Error }[] = [];
  decided.forEach(({ e, state }, i) => {
    const r = results[i];
    if (r !== undefined && r.error === null) {
      e.zkVersion = r.zkVersion;
      e.state = state;
      created.push(e);
    } else {
      failed.push({ e, error: r?.error ?? new Error(`no create result for ${e.topic}-${e.partition}`) });
    }
  });
  const existing = await readPartitionStates(zk, failed.map(({ e }) => e));
  let failure: Error | null = null;
  for (const [i, { e, error }] of failed.entries()) {
    const s = existing[i];
    if (s === null || s === undefined) {
      failure ??= error;
      continue;
    }
    e.state = s.state;
    e.zkVersion = s.zkVersion;
  }
  return { created, failure };
}
