import type { ZkClient, ZkWatcher } from './zk-client.js';
import { ZkNoNodeError, ZkNodeExistsError } from './zk-errors.js';
import type { ControllerFence } from './controller-fence.js';
import { fencedCreate, fencedDelete, fencedSet } from './controller-fence.js';
import { ZkPaths } from './paths.js';
import type { PartitionReassignment, TopicPartitionRef } from './codecs/admin.js';
import {
  decodePreferredReplicaElection,
  decodeReassignPartitions,
  encodePreferredReplicaElection,
  encodeReassignPartitions,
} from './codecs/admin.js';

/*
 * The two admin request znodes the controller watches for existence (KafkaController's
 * PartitionReassignmentHandler and PreferredReplicaElectionHandler): /admin/reassign_partitions and
 * /admin/preferred_replica_election. Tools create them; the controller rewrites or deletes them (fenced).
 */

/** Reads a znode with an existence watch (fires on create, delete and data change); null when absent. */
async function readWatched(zk: ZkClient, path: string, watcher?: ZkWatcher): Promise<Buffer | null | undefined> {
  const stat = await zk.exists(path, watcher);
  if (stat === null) return undefined;
  try {
    return (await zk.get(path)).data;
  } catch (err) {
    if (err instanceof ZkNoNodeError) return undefined;
    throw err;
  }
}

/** The reassignments listed in /admin/reassign_partitions, or null when the node does not exist. */
export async function getPartitionReassignment(zk: ZkClient, watcher?: ZkWatcher): Promise<PartitionReassignment[] | null> {
  const data = await readWatched(zk, ZkPaths.reassignPartitions, watcher);
  return data === undefined ? null : decodeReassignPartitions(data);
}

/** Controller side: rewrites /admin/reassign_partitions with what is left, deleting it when nothing is (fenced). */
export async function setOrDeletePartitionReassignment(
  zk: ZkClient,
  fence: ControllerFence,
  partitions: readonly PartitionReassignment[],
): Promise<void> {
  const path = ZkPaths.reassignPartitions;
  try {
    if (partitions.length === 0) await fencedDelete(zk, fence, path, -1);
    else await fencedSet(zk, fence, path, encodeReassignPartitions(partitions), -1);
  } catch (err) {
    if (!(err instanceof ZkNoNodeError)) throw err;
    if (partitions.length > 0) await fencedCreate(zk, fence, path, encodeReassignPartitions(partitions), 'persistent');
  }
}

/** Tool side (kafka-reassign-partitions --zookeeper): fails with ZkNodeExistsError while one is pending. */
export async function createPartitionReassignment(zk: ZkClient, partitions: readonly PartitionReassignment[]): Promise<void> {
  await zk.mkdirp(ZkPaths.admin);
  await zk.create(ZkPaths.reassignPartitions, encodeReassignPartitions(partitions), 'persistent');
}

/** The partitions listed in /admin/preferred_replica_election ([] means all), or null when it does not exist. */
export async function getPreferredReplicaElection(zk: ZkClient, watcher?: ZkWatcher): Promise<TopicPartitionRef[] | null> {
  const data = await readWatched(zk, ZkPaths.preferredReplicaElection, watcher);
  return data === undefined ? null : decodePreferredReplicaElection(data);
}

/** Controller side: the election ran; remove the request (fenced). */
export async function deletePreferredReplicaElection(zk: ZkClient, fence: ControllerFence): Promise<void> {
  try {
    await fencedDelete(zk, fence, ZkPaths.preferredReplicaElection, -1);
  } catch (err) {
    if (!(err instanceof ZkNoNodeError)) throw err;
  }
}

/** Tool side (kafka-preferred-replica-election --zookeeper); false if an election is already pending. */
export async function createPreferredReplicaElection(zk: ZkClient, partitions: readonly TopicPartitionRef[]): Promise<boolean> {
  await zk.mkdirp(ZkPaths.admin);
  try {
    await zk.create(ZkPaths.preferredReplicaElection, encodePreferredReplicaElection(partitions), 'persistent');
    return true;
  } catch (err) {
    if (err instanceof ZkNodeExistsError) return false;
    throw err;
  }
}
