import { setTimeout as sleep } from 'node:timers/promises';

import { ChaosKiller, formatKill, type ChaosKillerOptions, type KillRecord } from './chaos-killer.js';
import { AckTrackingProducer, type AckTrackingProducerOptions, type ProducerTally } from './chaos-producer.js';
import { describeStates, readPartitionStates, waitFullyReplicated, type PartitionState } from './chaos-state.js';
import { formatReport, verifyDurability, type DurabilityReport } from './chaos-verify.js';
import { newKafka } from './clients.js';
import type { TestCluster } from './cluster.js';
import { randomTopic } from './paths.js';

export { formatKill, type KillRecord } from './chaos-killer.js';
export { formatReport, type DurabilityReport } from './chaos-verify.js';

export interface DurabilityChaosOptions {
  /** How long brokers are killed and restarted. */
  readonly chaosMs: number;
  /** Partitions of the RF=3 topic (default 6). */
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly minInsyncReplicas?: number;
  /** Producing before the first kill (default 3 s) and after the last restart (default 3 s). */
  readonly warmupMs?: number;
  readonly cooldownMs?: number;
  /** How long the cluster may take to be fully replicated again after the chaos (default 60 s). */
  readonly recoveryTimeoutMs?: number;
  readonly killer?: Omit<ChaosKillerOptions, 'replicas' | 'log'>;
  readonly producer?: AckTrackingProducerOptions;
  /** Progress lines (kills, periodic counts); default: none. */
  readonly log?: (line: string) => void;
  /** Interval of the periodic count lines (default 15 s). */
  readonly progressEveryMs?: number;
}

export interface DurabilityChaosResult {
  readonly topic: string;
  readonly report: DurabilityReport;
  readonly tally: ProducerTally;
  readonly kills: readonly KillRecord[];
  /** Partition states once the cluster had recovered (or, failing that, once every partition had a leader). */
  readonly finalStates: readonly PartitionState[];
  /** Set when the partitions did not all get a leader and a full ISR within `recoveryTimeoutMs` after the chaos. */
  readonly recoveryError: string | undefined;
  /** Set when a kill or restart failed (the brokers were started again and the records checked anyway). */
  readonly chaosError: string | undefined;
  /** The report, the failure reasons and every kill, ready to print. */
  readonly summary: string;
}

/**
 * The durability-under-failure scenario: an RF=3 topic with min.insync.replicas=2, an acks=all producer on every
 * partition, brokers killed and restarted one at a time for `chaosMs`; then, once every partition has a leader
 * and a full ISR again, every partition is read from the start and checked against what was acknowledged.
 * The cluster must have `replicationFactor` brokers and must not be touched by anyone else meanwhile.
 */
export async function runDurabilityChaos(cluster: TestCluster, opts: DurabilityChaosOptions): Promise<DurabilityChaosResult> {
  const partitions = opts.partitions ?? 6;
  const replicas = opts.replicationFactor ?? 3;
  const log = opts.log ?? ((): void => undefined);
  const topic = randomTopic('chaos');
  const kafka = newKafka(cluster.bootstrap, 'sk-chaos');
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: replicas,
          configEntries: [{ name: 'min.insync.replicas', value: String(opts.minInsyncReplicas ?? 2) }],
        },
      ],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  await waitFullyReplicated(cluster, topic, partitions, replicas, 30_000);

  const producer = new AckTrackingProducer(kafka, topic, partitions, opts.producer);
  const killer = new ChaosKiller(cluster, topic, partitions, { ...opts.killer, replicas, log });
  const startedAt = Date.now();
  const progress = setInterval(() => {
    const t = producer.tally();
    log(`t+${Math.round((Date.now() - startedAt) / 1000)} s: sent=${t.sent} acknowledged=${t.acknowledged} failed=${t.failed} kills=${killer.kills.length}`);
  }, opts.progressEveryMs ?? 15_000);
  let tally: ProducerTally;
  let chaosError: string | undefined;
  try {
    await producer.start();
    try {
      await sleep(opts.warmupMs ?? 3000);
      try {
        await killer.run(opts.chaosMs);
      } catch (err) {
        // A restart that failed must not hide the counts either: bring the brokers back and check what we have.
        chaosError = (err as Error).message;
        log(`CHAOS FAILED: ${chaosError}`);
        for (const id of cluster.brokers.keys()) if (!cluster.isRunning(id)) await cluster.start(id);
      }
      log(`chaos over after ${killer.kills.length} kills; producing on for ${opts.cooldownMs ?? 3000} ms`);
      await sleep(opts.cooldownMs ?? 3000);
    } finally {
      tally = await producer.stop();
    }
  } finally {
    clearInterval(progress);
  }

  // A cluster that does not get back to full ISRs is a failure of its own, but it must not hide the counts:
  // as long as every partition has a leader, what was acknowledged can still be read and checked.
  let recoveryError: string | undefined;
  let finalStates: PartitionState[];
  try {
    finalStates = await waitFullyReplicated(cluster, topic, partitions, replicas, opts.recoveryTimeoutMs ?? 60_000);
    log(`recovered: ${describeStates(finalStates)}`);
  } catch (err) {
    recoveryError = (err as Error).message;
    log(`NOT RECOVERED: ${recoveryError}`);
    finalStates = await cluster.waitFor(
      async () => {
        const states = await readPartitionStates(cluster, topic, partitions);
        return states.every((s) => s.leader >= 0) ? states : null;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `every partition of ${topic} to have a leader` },
    );
  }
  const report = await verifyDurability(cluster.bootstrap, topic, tally);
  const summary = [
    `topic ${topic}: ${partitions} partitions, RF=${replicas}, ${killer.kills.length} kills in ${opts.chaosMs} ms of chaos`,
    formatReport(report, tally.errors),
    ...killer.kills.map((k) => `  kill #${k.n}: ${formatKill(k)}`),
    `final states: ${describeStates(finalStates)}${recoveryError === undefined ? '' : ` (NOT RECOVERED: ${recoveryError})`}`,
    ...(chaosError === undefined ? [] : [`CHAOS FAILED: ${chaosError}`]),
  ].join('\n');
  return { topic, report, tally, kills: killer.kills, finalStates, recoveryError, chaosError, summary };
}
