import { StreamkeeperError } from '../util/errors.js';

export class InvalidReplicationFactorError extends StreamkeeperError {
  constructor(message: string) {
    super('INVALID_REPLICATION_FACTOR', message);
  }
}

export class InvalidPartitionsError extends StreamkeeperError {
  constructor(message: string) {
    super('INVALID_PARTITIONS', message);
  }
}

/**
 * Kafka's rack-unaware replica assignment (AdminUtils.assignReplicasToBrokers):
 * brokers are taken in ascending id order; partition p's first replica is brokers[(p + startIndex) mod n], and
 * replica j+1 is brokers[(first + 1 + (shift + j) mod (n-1)) mod n], where `shift` grows by one each time p wraps
 * around the broker list. `startIndex` and the initial `shift` are independent random values in [0, n) unless
 * `fixedStartIndex` (>= 0) is given, in which case both equal it. Partitions are numbered from `startPartitionId`.
 * Returns partition -> replicas (the first replica is the preferred leader).
 */
export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  nPartitions: number,
  replicationFactor: number,
  fixedStartIndex = -1,
  startPartitionId = -1,
  random: () => number = Math.random,
): Map<number, number[]> {
  if (nPartitions <= 0) throw new InvalidPartitionsError('Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new InvalidReplicationFactorError('Replication factor must be larger than 0.');
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) {
    throw new InvalidReplicationFactorError(`Replication factor: ${replicationFactor} larger than available brokers: ${n}.`);
  }
  const randomIndex = (): number => Math.floor(random() * n);
  const startIndex = fixedStartIndex >= 0 ? fixedStartIndex : randomIndex();
  let shift = fixedStartIndex >= 0 ? fixedStartIndex : randomIndex();
  const assignment = new Map<number, number[]>();
  let partition = Math.max(0, startPartitionId);
  for (let i = 0; i < nPartitions; i++, partition++) {
    if (partition > 0 && partition % n === 0) shift++;
    const first = (partition + startIndex) % n;
    const replicas = [brokers[first] as number];
    for (let j = 0; j < replicationFactor - 1; j++) {
      replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n] as number);
    }
    assignment.set(partition, replicas);
  }
  return assignment;
}

/**
 * Assignment after growing a topic to `newTotal` partitions (AdminZkClient.createNewPartitionsAssignment): the new
 * partitions get partition 0's replication factor, are numbered from the current count, and start at the first
 * broker (ascending ids) whose id is >= partition 0's first replica. Returns the existing entries plus the new ones.
 */
export function assignNewPartitions(
  existing: ReadonlyMap<number, readonly number[]>,
  brokerIds: readonly number[],
  newTotal: number,
): Map<number, number[]> {
  const partition0 = existing.get(0);
  if (partition0 === undefined || partition0.length === 0) {
    throw new InvalidPartitionsError('the topic has no replica assignment for partition 0');
  }
  const toAdd = newTotal - existing.size;
  if (toAdd <= 0) {
    throw new InvalidPartitionsError(
      `The number of partitions for a topic can only be increased. Topic currently has ${existing.size} partitions, ` +
        `${newTotal} would not be an increase.`,
    );
  }
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const leader0 = partition0[0] as number;
  const startIndex = Math.max(0, brokers.findIndex((id) => id >= leader0));
  const added = assignReplicasToBrokers(brokers, toAdd, partition0.length, startIndex, existing.size);
  const result = new Map<number, number[]>();
  for (const [p, replicas] of existing) result.set(p, [...replicas]);
  for (const [p, replicas] of added) result.set(p, replicas);
  return result;
}
