/**
 * P8: controller failover with many partitions. The partitions are written straight into ZooKeeper in Kafka's
 * layout (/config/topics/<t>, /brokers/topics/<t> with a topic_id, …/partitions/<p> and …/partitions/<p>/state),
 * many creates in flight on one session. Their replicas live on a broker id that never runs, so no broker has
 * to open N partition logs: what is measured is the controller's own work — reading N assignments and state
 * znodes, electing (nothing can be elected) and sending UpdateMetadata for N partitions.
 *
 * Readiness: the controller id in a broker's metadata cache comes only from UpdateMetadata, and a new
 * controller's first UpdateMetadata leaves after it has loaded every topic and partition from ZooKeeper. So the
 * suite polls the surviving broker's Metadata until it names that broker as controller. The start is the new
 * controller's "became the controller" log line (its election); the time from the kill (which includes the
 * ZooKeeper session timeout) is reported beside it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestCluster } from '../../test/harness/cluster.js';
import { waitForExit } from '../../test/harness/broker-process.js';
import { controllerId } from '../../test/harness/partition-state.js';
import { runWindowed } from '../../src/util/windowed.js';
import { encodePartitionState, LeaderRecoveryState } from '../../src/zk/codecs/partition-state.js';
import { ZkPaths } from '../../src/zk/paths.js';
import { metadata, writeTopicZnodes } from './bench-cluster.js';
import type { SuiteContext } from './suite-context.js';

/** A broker id no broker of the suite has: the replicas of the loaded partitions. */
const ABSENT_BROKER = 900;
const PARTITIONS_PER_TOPIC = 1000;
const ZK_IN_FLIGHT = 2000;
const READY_TIMEOUT_MS = 300_000;

/** Writes topics `p8-<first>`.. holding `partitions` partitions in all, on ABSENT_BROKER, into ZooKeeper. */
export async function writePartitions(ctx: SuiteContext, cluster: TestCluster, firstTopic: number, partitions: number): Promise<number> {
  const zk = cluster.zkClient;
  const topics = Math.ceil(partitions / PARTITIONS_PER_TOPIC);
  const state = encodePartitionState({
    leader: ABSENT_BROKER, leaderEpoch: 0, isr: [ABSENT_BROKER], controllerEpoch: 1, leaderRecoveryState: LeaderRecoveryState.RECOVERED,
  }).toString('utf8');
  const started = performance.now();
  for (let t = firstTopic; t < firstTopic + topics; t++) {
    const name = `p8-${String(t).padStart(4, '0')}`;
    const count = Math.min(PARTITIONS_PER_TOPIC, partitions - (t - firstTopic) * PARTITIONS_PER_TOPIC);
    const ids = Array.from({ length: count }, (_, p) => p);
    await writeTopicZnodes(zk, name, ids.map(() => [ABSENT_BROKER]));
    await zk.createPersistent(ZkPaths.topicPartitions(name), '');
    await runWindowed(ids, ZK_IN_FLIGHT, async (p) => await zk.createPersistent(ZkPaths.topicPartition(name, p), ''));
    await runWindowed(ids, ZK_IN_FLIGHT, async (p) => await zk.createPersistent(ZkPaths.partitionState(name, p), state));
  }
  const s = (performance.now() - started) / 1000;
  ctx.progress(`P8: wrote ${partitions} partitions in ${topics} topics into ZooKeeper in ${s.toFixed(1)} s (${(partitions * 2 / s).toFixed(0)} znodes/s)`);
  return firstTopic + topics;
}

/** The time of the last "became the controller" line of broker `id` after `mark`, in epoch ms. */
function electedAt(cluster: TestCluster, id: number, mark: number): number | undefined {
  let at: number | undefined;
  for (const line of cluster.logsSince(id, mark).split('\n')) {
    if (!line.includes('became the controller')) continue;
    try {
      const ts = (JSON.parse(line) as { timestamp?: string }).timestamp;
      if (ts !== undefined) at = Date.parse(ts);
    } catch {
      // not a JSON log line
    }
  }
  return at;
}

export interface ControllerFailoverOutcome {
  /** From the new controller's election to its UpdateMetadata having reached the broker. */
  readonly readyMs: number;
  /** From the kill -9 of the old controller. */
  readonly fromKillMs: number;
  readonly oldController: number;
  readonly newController: number;
}

/** Kills the controller with SIGKILL and times the surviving broker's takeover; then restarts the old one. */
export async function controllerFailover(ctx: SuiteContext, cluster: TestCluster): Promise<ControllerFailoverOutcome> {
  const old = await controllerId(cluster);
  const survivor = [...cluster.brokers.keys()].find((id) => id !== old);
  if (old < 0 || survivor === undefined) throw new Error(`need a controller and another broker (controller ${old})`);
  const mark = cluster.logMark(survivor);
  const port = cluster.broker(survivor).port;
  ctx.progress(`P8: kill -9 of controller ${old}; broker ${survivor} should take over after the ZooKeeper session timeout`);
  const killedAt = Date.now();
  cluster.broker(old).process.kill('SIGKILL');
  await waitForExit(cluster.broker(old).process);
  let readyAt: number | undefined;
  while (readyAt === undefined) {
    const md = await metadata(port, []).catch(() => undefined);
    if (md?.controllerId === survivor) readyAt = Date.now();
    else if (Date.now() - killedAt > READY_TIMEOUT_MS) throw new Error(`broker ${survivor} did not report itself as controller within ${READY_TIMEOUT_MS} ms`);
    else await sleep(10);
  }
  const elected = electedAt(cluster, survivor, mark);
  if (elected === undefined) throw new Error(`no "became the controller" line in broker ${survivor}'s log`);
  ctx.progress(`P8: broker ${survivor} elected ${elected - killedAt} ms after the kill, ready ${readyAt - elected} ms later; restarting broker ${old}`);
  await cluster.start(old);
  return { readyMs: readyAt - elected, fromKillMs: readyAt - killedAt, oldController: old, newController: survivor };
}
