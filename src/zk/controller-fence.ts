import type { CreateMode, ZkClient, ZkStat } from './zk-client.js';
import { ZkNoNodeError } from './zk-errors.js';
import { ControllerMovedError } from './kafka-zk-errors.js';
import { ZkPaths } from './paths.js';
import { chunks, runWindowed } from '../util/windowed.js';

/** What a controller won in the election: its epoch and the zkVersion of /controller_epoch it wrote. */
export interface ControllerFence {
  readonly epoch: number;
  readonly epochZkVersion: number;
}

/*
 * Fencing of controller writes.
 *
 * Kafka wraps every controller write in a ZooKeeper multi-op: check(/controller_epoch, epochZkVersion) followed by
 * the create/setData/delete, so the write happens only while the controller epoch is still the one this controller
 * wrote (KafkaZkClient.wrapRequestWithControllerEpochCheck). The `zookeeper` npm client has no multi/transaction
 * support, so we emulate it:
 *   1. read the Stat of /controller_epoch; if its version differs from fence.epochZkVersion (or the node is gone),
 *      throw ControllerMovedError without writing;
 *   2. then issue the (itself conditional, where Kafka's is) write.
 * Why the gap between 1 and 2 is safe in practice: a new controller can only bump /controller_epoch after creating
 * the ephemeral /controller node, which exists while our session holds it. If our session expired, our session-bound
 * handle cannot write at all (the native client refuses every request once the session is gone). So a second
 * controller can only appear between 1 and 2 if /controller was deleted by hand while we were mid-write; Kafka's
 * atomic check closes even that window, ours does not.
 */
export async function checkControllerEpoch(zk: ZkClient, fence: ControllerFence): Promise<void> {
  const stat = await zk.exists(ZkPaths.controllerEpoch);
  if (stat === null || stat.version !== fence.epochZkVersion) {
    throw new ControllerMovedError(
      `controller epoch ${fence.epoch} is stale: /controller_epoch zkVersion is ` +
        `${stat === null ? 'missing' : stat.version}, expected ${fence.epochZkVersion}`,
    );
  }
}

/** How many fenced writes one epoch check covers, all of them in flight at once (see fencedBatch). */
export const FENCED_BATCH_WINDOW = 1000;

/**
 * Bulk controller writes: `items` in slices of `window`; for each slice one checkControllerEpoch, awaited, then
 * `write` for every item of the slice, all in flight together; the next slice starts when the whole slice has
 * settled. `write` must only issue requests on `zk`'s session (unfenced ones: the slice's check is their fence).
 * Results come back in the order of `items`. A stale epoch throws ControllerMovedError before any write of its
 * slice was sent (slices before it were written).
 *
 * Why one check per slice is as safe as one check per write (fencedSet and friends):
 * - Per-write fencing is already check-then-write, two requests with a gap between them, not Kafka's atomic
 *   multi-op. Its guarantee is "the epoch was ours when the check ran, and every write follows a check that
 *   passed". A slice keeps exactly that: every write of the slice is sent after its check's answer came back, and
 *   one session's requests are handled by the server in the order sent (ZooKeeper's FIFO client order), so each
 *   write is applied after a check that saw our epoch. Only the gap grows, from one round trip to at most one
 *   slice (1,000 writes at ~10 k writes/s: ~0.1 s).
 * - The gap matters only if another controller bumps /controller_epoch inside it. As the comment above says, that
 *   needs our ephemeral /controller gone: either our session expired, and then this session-bound handle cannot
 *   send any write of the slice at all, or the node was deleted by hand mid-write, a hole that per-write fencing
 *   has too (Kafka's atomic check closes it; neither emulation does).
 * - The writes themselves keep their own conditions (a partition state's expected zkVersion), so a write racing
 *   a new controller's write to the same znode still fails with BadVersion, and the caller's re-read sees the
 *   newer controller_epoch in the node.
 */
export async function fencedBatch<T, R>(
  zk: ZkClient,
  fence: ControllerFence,
  items: readonly T[],
  write: (item: T) => Promise<R>,
  window: number = FENCED_BATCH_WINDOW,
): Promise<R[]> {
  const results: R[] = [];
  for (const slice of chunks(items, window)) {
    await checkControllerEpoch(zk, fence);
    results.push(...(await runWindowed(slice, window, write)));
  }
  return results;
}

export async function fencedCreate(
  zk: ZkClient,
  fence: ControllerFence,
  path: string,
  data: Buffer | string | null,
  mode: CreateMode,
): Promise<string> {
  await checkControllerEpoch(zk, fence);
  return zk.create(path, data, mode);
}

export async function fencedSet(
  zk: ZkClient,
  fence: ControllerFence,
  path: string,
  data: Buffer | string | null,
  version: number,
): Promise<ZkStat> {
  await checkControllerEpoch(zk, fence);
  return zk.set(path, data, version);
}

export async function fencedDelete(zk: ZkClient, fence: ControllerFence, path: string, version: number): Promise<void> {
  await checkControllerEpoch(zk, fence);
  await zk.delete(path, version);
}

/** Deletes `path` and its subtree, each delete fenced; a missing node is not an error. */
export async function fencedDeleteRecursive(zk: ZkClient, fence: ControllerFence, path: string): Promise<void> {
  let children: string[];
  try {
    children = await zk.getChildren(path);
  } catch (err) {
    if (err instanceof ZkNoNodeError) return;
    throw err;
  }
  for (const child of children) await fencedDeleteRecursive(zk, fence, `${path}/${child}`);
  try {
    await fencedDelete(zk, fence, path, -1);
  } catch (err) {
    if (!(err instanceof ZkNoNodeError)) throw err;
  }
}
