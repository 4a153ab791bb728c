import type { TestCluster } from './cluster.js';


/** The partition `state` znode as Kafka 2.8 writes it. */
export interface PartitionState {
  readonly partition: number;
  readonly controller_epoch: number;
  readonly leader: number;
  readonly leader_epoch: number;
  readonly isr: readonly number[];
}

/** Every partition's `state` znode (a missing znode reads as leader -1, empty ISR). */
export async function readPartitionStates(cluster: TestCluster, topic: string, partitions: number): Promise<PartitionState[]> {
  const states: PartitionState[] = [];
  for (let p = 0; p < partitions; p++) {
    const raw = (await cluster.zkClient.getJson(`/brokers/topics/${topic}/partitions/${p}/state`)) as
      | Omit<PartitionState, 'partition'>
      | undefined;
    states.push(
      raw === undefined
        ? { partition: p, controller_epoch: -1, leader: -1, leader_epoch: -1, isr: [] }
        : { partition: p, controller_epoch: raw.controller_epoch, leader: raw.leader, leader_epoch: raw.leader_epoch, isr: raw.isr },
    );
  }
  return states;
}

/** True when every partition has a live leader and all `replicas` brokers in its ISR. */
export function fullyReplicated(states: readonly PartitionState[], replicas: number): boolean {
  return states.every((s) => s.leader >= 0 && s.isr.length === replicas);
}

/** `leader/epoch/isr` per partition, compact, for progress lines and failure messages. */
export function describeStates(states: readonly PartitionState[]): string {
  return states.map((s) => `p${s.partition}:L${s.leader}e${s.leader_epoch}[${s.isr.join(',')}]`).join(' ');
}

/** Waits until every partition has a leader and a full ISR; the timeout message shows the last states seen. */
export async function waitFullyReplicated(
  cluster: TestCluster,
  topic: string,
  partitions: number,
  replicas: number,
  timeoutMs: number,
): Promise<PartitionState[]> {
  let last: PartitionState[] = [];
  try {
    return await cluster.waitFor(
      async () => {
        last = await readPartitionStates(cluster, topic, partitions);
        return fullyReplicated(last, replicas) ? last : null;
      },
      { timeoutMs, intervalMs: 250, what: `every partition of ${topic} to have a leader and ${replicas} in-sync replicas` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last states: ${describeStates(last)}`, { cause: err });
  }
}
