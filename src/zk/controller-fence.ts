import type { CreateMode, ZkClient, ZkStat } from './zk-client.js';
import { ZkNoNodeError, ZkNodeExistsError } from './zk-errors.js';
import { ControllerMovedError } from './kafka-zk-errors.js';
import { ZkPaths } from './paths.js';

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

/** Fenced create that treats an existing node as success (for parent nodes). */
export async function fencedEnsure(zk: ZkClient, fence: ControllerFence, path: string): Promise<void> {
  try {
    await fencedCreate(zk, fence, path, null, 'persistent');
  } catch (err) {
    if (!(err instanceof ZkNodeExistsError)) throw err;
  }
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
