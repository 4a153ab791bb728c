/**
 * P7: leader failover after kill -9 (until a surviving broker's metadata names a new leader and an acks=all
 * produce to it succeeds), and controlled shutdown (SIGTERM until the process exits) of a broker leading N
 * partitions whose followers live on another broker.
 * P9: resident memory of an idle broker hosting N partitions.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster } from '../../test/harness/cluster.js';
import { rssKiB, waitForExit } from '../../test/harness/broker-process.js';
import { RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';
import { producePartitionError } from '../../src/cli/perf/producer-perf.js';
import { buildPerfBatch, prepareProduce, randomPayload } from '../../src/cli/perf/produce-requests.js';
import { createTopic, createTopicInZk, idsControllerLast, metadata } from './bench-cluster.js';
import type { SuiteContext } from './suite-context.js';

const FAILOVER_TIMEOUT_MS = 60_000;
const POLL_MS = 20;

/** One acks=all record to partition 0 through broker `port`; true when it was acknowledged. */
async function produceOne(port: number, topic: string): Promise<boolean> {
  const client = await RawKafkaClient.connect(port, '127.0.0.1', 1000);
  try {
    const batch = buildPerfBatch(randomPayload(100), 1, 'none', Date.now());
    return producePartitionError(await client.send(prepareProduce(topic, 0, batch, -1, 5000))) === 0;
  } finally {
    client.close();
  }
}

export interface FailoverOutcome {
  readonly ms: number;
  readonly oldLeader: number;
  readonly newLeader: number;
}

/** Kills the leader of a fresh RF=3 (min.insync.replicas=2) partition with SIGKILL and times the recovery. */
export async function leaderFailover(ctx: SuiteContext, cluster: TestCluster, topic: string): Promise<FailoverOutcome> {
  const ids = await idsControllerLast(cluster);
  await createTopic(cluster, { topic, assignment: [ids.slice(0, 3)], configs: { 'min.insync.replicas': '2' } });
  const leader = ids[0] ?? 1;
  const survivors = ids.filter((id) => id !== leader).map((id) => cluster.broker(id).port);
  if (!(await produceOne(cluster.broker(leader).port, topic))) throw new Error(`a produce to the leader of ${topic} failed before the kill`);
  ctx.progress(`P7: kill -9 of broker ${leader}, the leader of ${topic}`);
  const t0 = performance.now();
  cluster.broker(leader).process.kill('SIGKILL');
  const deadline = t0 + FAILOVER_TIMEOUT_MS;
  for (;;) {
    for (const port of survivors) {
      const md = await metadata(port, [topic]).catch(() => undefined);
      const p = md?.topics[0]?.partitions[0];
      const next = p?.leaderId ?? -1;
      if (next < 0 || next === leader) continue;
      const nextPort = md?.brokers.find((b) => b.nodeId === next)?.port;
      if (nextPort !== undefined && (await produceOne(nextPort, topic).catch(() => false))) {
        const ms = performance.now() - t0;
        await waitForExit(cluster.broker(leader).process);
        return { ms, oldLeader: leader, newLeader: next };
      }
    }
    if (performance.now() > deadline) throw new Error(`no new leader for ${topic} accepted a produce within ${FAILOVER_TIMEOUT_MS} ms`);
    await sleep(POLL_MS);
  }
}

export interface ShutdownOutcome {
  readonly ms: number;
  readonly broker: number;
}

/**
 * Creates a topic of `partitions` partitions led by a broker other than the controller (followers on the
 * controller), SIGTERMs that broker and times its exit. The broker is left stopped.
 */
export async function controlledShutdown(ctx: SuiteContext, cluster: TestCluster, topic: string, partitions: number): Promise<ShutdownOutcome> {
  const ids = await idsControllerLast(cluster);
  const leader = ids[0] ?? 1;
  const follower = ids[ids.length - 1] ?? 2;
  ctx.progress(`P7: creating ${partitions} partitions led by broker ${leader} (followers on broker ${follower})`);
  const created = performance.now();
  await createTopicInZk(cluster, { topic, assignment: Array.from({ length: partitions }, () => [leader, follower]) }, 600_000);
  ctx.progress(`P7: created in ${((performance.now() - created) / 1000).toFixed(1)} s; SIGTERM to broker ${leader}`);
  const t0 = performance.now();
  cluster.broker(leader).process.kill('SIGTERM');
  const exit = await waitForExit(cluster.broker(leader).process);
  const ms = performance.now() - t0;
  ctx.progress(`P7: broker ${leader} exited (code ${exit.code}, signal ${exit.signal}) after ${ms.toFixed(0)} ms`);
  return { ms, broker: leader };
}

/** RSS of the only broker of `cluster` after creating `partitions` partitions on it and `idleMs` of rest. */
export async function idleMemory(ctx: SuiteContext, cluster: TestCluster, partitions: number, idleMs: number): Promise<{ rssBytes: number; beforeBytes: number }> {
  const broker = [...cluster.brokers.values()][0];
  if (broker === undefined) throw new Error('no broker');
  const beforeBytes = rssKiB(broker.pid) * 1024;
  ctx.progress(`P9: creating ${partitions} partitions on broker ${broker.id} (RSS now ${(beforeBytes / 1e6).toFixed(0)} MB)`);
  await createTopic(cluster, { topic: 'p9-idle', assignment: Array.from({ length: partitions }, () => [broker.id]) }, 600_000);
  ctx.progress(`P9: idle for ${idleMs / 1000} s`);
  await sleep(idleMs);
  return { rssBytes: rssKiB(broker.pid) * 1024, beforeBytes };
}
