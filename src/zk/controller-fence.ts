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
 *   1. note the ZooKeeper session the check is sent on, read the Stat of /controller_epoch; if its version differs
 *      from fence.epochZkVersion (or the node is gone), throw ControllerMovedError without writing;
 *   2. then issue the (itself conditional, where Kafka's is) write, on the same session: if the client's session
 *      changed in between, throw ControllerMovedError instead of sending it.
 * Why the gap between 1 and 2 is narrow: a new controller can only bump /controller_epoch after creating the
 * ephemeral /controller node, which exists while the session that created it lives. ZooKeeper applies one
 * session's requests in the order sent and none after the session expired, so a write sent on the session the
 * check ran on lands while our /controller still existed, before any new controller could bump the epoch. The
 * session check in step 2 is what makes that hold: ZkClient sends each request on whatever session is current
 * when it is called, and after an expiry and reconnect() that is a new session that never held /controller.
 * What remains is /controller deleted by hand (or by our own resignation) while we were mid-write: the epoch can
 * then move between 1 and 2. Kafka's atomic check closes that window, ours does not.
 */

/** Throws ControllerMovedError unless zk is still on `session`, the session the epoch check ran on. */
function requireSession(zk: ZkClient, session: string, op: string, path: string): void {
  const now = zk.sessionId;
  if (now !== session) {
    throw new ControllerMovedError(
      `ZooKeeper session changed from ${session} to ${now} since the controller epoch check; not sending ${op} ${path}`,
    );
  }
}

export async function checkControllerEpoch(zk: ZkClient, fence: ControllerFence): Promise<void> {
  const stat = await zk.exists(ZkPaths.controllerEpoch);
  if (stat === null || stat.version !== fence.epochZkVersion) {
    throw new ControllerMovedError(
      `controller epoch ${fence.epoch} is stale: /controller_epoch zkVersion is ` +
        `${stat === null ? 'missing' : stat.version}, expected ${fence.epochZkVersion}`,
    );
  }
}

/** checkControllerEpoch; returns the session it ran on, which the fenced write must still be on. */
async function checkEpochOnSession(zk: ZkClient, fence: ControllerFence): Promise<string> {
  const session = zk.sessionId;
  await checkControllerEpoch(zk, fence);
  requireSession(zk, session, 'exists', ZkPaths.controllerEpoch);
  return session;
}

/** How many fenced writes one epoch check covers, all of them in flight at once (see fencedBatch). */
export const FENCED_BATCH_WINDOW = 1000;

/**
 * The writes a fencedBatch callback sends: the client's own, except that each throws ControllerMovedError instead
 * of being sent once the client's session is not the one the batch's epoch checks ran on.
 */
export type SessionBoundWrites = Pick<ZkClient, 'create' | 'set' | 'delete'>;

function sessionBound(zk: ZkClient, session: string): SessionBoundWrites {
  return {
    create: async (path, data, mode) => {
      requireSession(zk, session, 'create', path);
      return zk.create(path, data, mode);
    },
    set: async (path, data, version) => {
      requireSession(zk, session, 'set', path);
      return zk.set(path, data, version);
    },
    delete: async (path, version) => {
      requireSession(zk, session, 'delete', path);
      return zk.delete(path, version);
    },
  };
}

/**
 * Bulk controller writes: `items` in slices of `window`; for each slice one checkControllerEpoch, awaited, then
 * `write` for every item of the slice, all in flight together; the next slice starts when the whole slice has
 * settled. `write` must send its requests through `writes`, which refuses (ControllerMovedError) any request once
 * zk's session is not the one noted at the batch's first epoch check; `write` must let that error through.
 * Results come back in the order of `items`. A stale epoch or a changed session throws ControllerMovedError
 * (before any write of the slice was sent, when it is noticed at a check; slices before it were written).
 *
 * What one check per slice guarantees, compared with one check per write (fencedSet and friends):
 * - Per-write fencing is already check-then-write, two requests with a gap between them, not Kafka's atomic
 *   multi-op. Its guarantee is "the epoch was ours when the check ran, and every write follows a check that
 *   passed". A slice keeps that: every write of the slice is sent after its check's answer came back, and one
 *   session's requests are handled by the server in the order sent (ZooKeeper's FIFO client order), so each write
 *   is applied after a check that saw our epoch. The gap grows, from one round trip to at most one slice
 *   (1,000 writes at ~10 k writes/s: ~0.1 s).
 * - Session expiry: no worse than per-write fencing. Every write goes out on the session the checks ran on, and
 *   the server applies none of that session's requests after it expired, so every write that lands lands while
 *   our ephemeral /controller still existed, before a new controller could bump the epoch.
 * - The epoch moving while our session lives (/controller deleted by hand, or by our own resignation, and another
 *   broker elected): per-write fencing lets at most the one write each caller has in flight land after the move;
 *   a slice lets up to all of its writes (up to `window`) land after it. Each of those is still conditional on
 *   its own zkVersion, so a write racing a new controller's write to the same partition state fails with
 *   BadVersion, and the caller's re-read sees the newer controller_epoch in the node; a write to a partition the
 *   new controller has not written yet does land, and the new controller's next conditional write to it then
 *   fails on the version and re-reads it.
 */
export async function fencedBatch<T, R>(
  zk: ZkClient,
  fence: ControllerFence,
  items: readonly T[],
  write: (item: T, writes: SessionBoundWrites) => Promise<R>,
  window: number = FENCED_BATCH_WINDOW,
): Promise<R[]> {
  const results: R[] = [];
  const session = zk.sessionId;
  const writes = sessionBound(zk, session);
  for (const slice of chunks(items, window)) {
    await checkControllerEpoch(zk, fence);
    requireSession(zk, session, 'exists', ZkPaths.controllerEpoch);
    results.push(...(await runWindowed(slice, window, (item) => write(item, writes))));
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
  const session = await checkEpochOnSession(zk, fence);
  return sessionBound(zk, session).create(path, data, mode);
}

export async function fencedSet(
  zk: ZkClient,
  fence: ControllerFence,
  path: string,
  data: Buffer | string | null,
  version: number,
): Promise<ZkStat> {
  const session = await checkEpochOnSession(zk, fence);
  return sessionBound(zk, session).set(path, data, version);
}

export async function fencedDelete(zk: ZkClient, fence: ControllerFence, path: string, version: number): Promise<void> {
  const session = await checkEpochOnSession(zk, fence);
  await sessionBound(zk, session).delete(path, version);
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
