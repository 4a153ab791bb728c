import fs from 'node:fs';
import path from 'node:path';

import type { Admin } from 'kafkajs';

import type { TestCluster } from './cluster.js';
import { KafkajsReader } from './kafkajs-reader.js';

/** A partition `state` znode as Kafka 2.8 writes it. */
export interface PartitionState {
  readonly controller_epoch: number;
  readonly leader: number;
  readonly leader_epoch: number;
  readonly isr: number[];
  readonly version: number;
}

/** `/brokers/topics/<topic>/partitions/<partition>/state`, read with the test's own ZooKeeper client. */
export async function partitionState(cluster: TestCluster, topic: string, partition: number): Promise<PartitionState> {
  const state = await cluster.zkClient.getJson(`/brokers/topics/${topic}/partitions/${partition}/state`);
  if (state === undefined) throw new Error(`no state znode for ${topic}-${partition}`);
  return state as PartitionState;
}

/** The state znodes of partitions 0..count-1. */
export async function partitionStates(cluster: TestCluster, topic: string, count: number): Promise<PartitionState[]> {
  return await Promise.all(Array.from({ length: count }, async (_, p) => await partitionState(cluster, topic, p)));
}

/** `/controller_epoch` as a number. */
export async function controllerEpoch(cluster: TestCluster): Promise<number> {
  return Number(await cluster.zkClient.getJson('/controller_epoch'));
}

/** The broker id named by `/controller`, or -1 when there is none. */
export async function controllerId(cluster: TestCluster): Promise<number> {
  const c = (await cluster.zkClient.getJson('/controller')) as { brokerid?: number } | undefined;
  return c?.brokerid ?? -1;
}

/** `/cluster/id`'s id. */
export async function clusterId(cluster: TestCluster): Promise<string> {
  const c = (await cluster.zkClient.getJson('/cluster/id')) as { id?: string } | undefined;
  if (typeof c?.id !== 'string') throw new Error(`/cluster/id has no id: ${JSON.stringify(c)}`);
  return c.id;
}

/** The concatenated `.log` segment bytes of one partition on one broker's disk. */
export function segmentBytes(cluster: TestCluster, brokerId: number, topic: string, partition: number): Buffer {
  const dir = path.join(cluster.broker(brokerId).dataDir, 'kafka-logs', `${topic}-${partition}`);
  const logs = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  return Buffer.concat(logs.map((f) => fs.readFileSync(path.join(dir, f))));
}

/** Every record value of a partition up to its high watermark, in offset order, through kafkajs. */
export async function readPartitionValues(bootstrap: readonly string[], topic: string, partition: number): Promise<string[]> {
  const reader = await KafkajsReader.connect(bootstrap);
  try {
    const values: string[] = [];
    let offset = 0;
    for (;;) {
      const { records, highWatermark } = await reader.readPartition(topic, partition, offset);
      for (const r of records) values.push(r.value?.toString() ?? '');
      const last = records[records.length - 1];
      if (last === undefined || last.offset + 1 >= highWatermark) return values;
      offset = last.offset + 1;
    }
  } finally {
    await reader.close();
  }
}

/**
 * Compares what was acknowledged with what was read back: the acknowledged values missing from `read`, and the
 * acknowledged values in the order (and multiplicity) `read` holds them, which must equal `acked`.
 */
export function ackedReadBack(acked: readonly string[], read: readonly string[]): { missing: string[]; ackedAsRead: string[] } {
  const seen = new Set(read);
  const ackedSet = new Set(acked);
  return { missing: acked.filter((v) => !seen.has(v)), ackedAsRead: read.filter((v) => ackedSet.has(v)) };
}

/**
 * A znode's zxids: `mzxid` of its last data change and `pzxid` of its last child change (for `/brokers/ids`, the
 * latest registration or deregistration), to order ZooKeeper writes after the fact.
 */
export async function zxids(cluster: TestCluster, znode: string): Promise<{ mzxid: number; pzxid: number }> {
  const stat = (await cluster.zkClient.exists(znode)) as unknown as { mzxid?: unknown; pzxid?: unknown } | undefined;
  if (stat === undefined) throw new Error(`no znode ${znode}`);
  return { mzxid: Number(stat.mzxid), pzxid: Number(stat.pzxid) };
}

/** Creates `topic` with replication factor 3 and min.insync.replicas=2 and waits for its leaders. */
export async function createRf3Topic(admin: Admin, topic: string, numPartitions = 1): Promise<void> {
  await admin.createTopics({
    topics: [{ topic, numPartitions, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
    waitForLeaders: true,
  });
}
