/**
 * The suite's scenarios as table rows, grouped by the cluster they need. Each group starts its cluster, runs
 * its scenarios and stops it, so one group's load and data do not disturb the next.
 */
import type { TestCluster } from '../../test/harness/cluster.js';
import { MB, type SuiteContext } from './suite-context.js';
import { UNITS, type SuiteRow } from './suite-table.js';
import type { ScenarioId } from './suite-args.js';
import { benchCluster, bootstrapOf, createTopic, idsControllerLast, logEndOffset, SESSION_TIMEOUT_MS } from './bench-cluster.js';
import { profiled } from './broker-profile.js';
import { ACKS } from '../../src/cli/perf/perf-options.js';
import { consumeAll, produceFor, THROUGHPUT_LOAD, type ProduceOutcome } from './produce-scenarios.js';
import { measureEndToEnd } from './end-to-end-latency.js';
import { ensureNatsServer, measureNats } from './nats-peer.js';
import { controlledShutdown, idleMemory, leaderFailover } from './failover-scenarios.js';
import { controllerFailover, writePartitions } from './controller-failover.js';

export interface Limits {
  /** Bytes per second. */
  readonly fsAppend: number;
  readonly loopback: number;
}

export interface Durations {
  readonly warmupMs: number;
  readonly produceMs: number;
  readonly latencyMs: number;
  readonly idleMs: number;
  readonly shutdownPartitions: readonly number[];
  readonly controllerPartitions: readonly number[];
}

function durations(quick: boolean): Durations {
  return quick
    ? { warmupMs: 500, produceMs: 3000, latencyMs: 3000, idleMs: 2000, shutdownPartitions: [1000], controllerPartitions: [1000, 10_000] }
    : { warmupMs: 3000, produceMs: 20_000, latencyMs: 15_000, idleMs: 10_000, shutdownPartitions: [1000, 10_000], controllerPartitions: [10_000, 100_000] };
}

const mbps = (bytes: number, ms: number): number => (bytes * 1000) / ms / MB;
const MIB = 1024 * 1024;
/**
 * P4's max.partition.fetch.bytes (perf consume --fetch-size): one consumer has one Fetch per partition in flight,
 * so each round trip must carry a lot (1 MiB, Kafka's default, measured 243 MB/s; 4 MiB 380; 16 MiB 436; 64 MiB 407).
 */
const P4_FETCH_SIZE = 16 * MIB;
const fsRef = (l: Limits) => ({ value: l.fsAppend / MB, unit: UNITS.mbps, label: 'fs append' }) as const;

function failed(scenario: string, err: unknown): SuiteRow {
  return { scenario, measured: undefined, note: `failed: ${err instanceof Error ? err.message : String(err)}` };
}

function produceNote(o: ProduceOutcome): string {
  return `${o.records.toLocaleString('en-US')} records in ${(o.ms / 1000).toFixed(1)} s${o.errors === '' ? '' : `; errors: ${o.errors}`}`;
}

async function measuredProduce(ctx: SuiteContext, cluster: TestCluster, topic: string, leader: number, recordSize: number, acks: -1 | 1, d: Durations): Promise<ProduceOutcome> {
  const load = { topic, bootstrap: bootstrapOf(cluster), recordSize, acks, ...THROUGHPUT_LOAD };
  ctx.progress(`${topic}: warm-up ${d.warmupMs / 1000} s`);
  await produceFor(load, d.warmupMs);
  ctx.progress(`${topic}: measuring ${d.produceMs / 1000} s`);
  const o = await profiled(ctx, cluster.broker(leader).pid, topic, async () => await produceFor(load, d.produceMs));
  ctx.progress(`${topic}: ${mbps(o.bytes, o.ms).toFixed(1)} MB/s, ${((o.records * 1000) / o.ms).toFixed(0)} records/s ${o.errors}`);
  return o;
}

/** P1, P2, P4 on one broker, then P6 (NATS) with the P1 figure. */
export async function singleBrokerGroup(ctx: SuiteContext, want: ReadonlySet<ScenarioId>, limits: Limits): Promise<SuiteRow[]> {
  const d = durations(ctx.quick);
  const rows: SuiteRow[] = [];
  let p1: number | undefined;
  if (want.has('P1') || want.has('P2') || want.has('P4') || want.has('P6')) {
    const cluster = await benchCluster(ctx, 1);
    try {
      if (want.has('P1') || want.has('P4') || want.has('P6')) {
        const name = 'P1 produce 1 KiB, 1 broker, RF=1, acks=1';
        try {
          await createTopic(cluster, { topic: 'p1', assignment: [[1]] });
          const o = await measuredProduce(ctx, cluster, 'p1', 1, 1024, ACKS.leader, d);
          p1 = mbps(o.bytes, o.ms);
          rows.push({ scenario: name, measured: { value: p1, unit: UNITS.mbps }, reference: fsRef(limits), target: { op: '>=', factor: 0.75 }, note: produceNote(o) });
        } catch (err) {
          rows.push(failed(name, err));
        }
      }
      if (want.has('P4')) {
        const name = 'P4 consume 1 partition from the page cache';
        try {
          const records = await logEndOffset(cluster.broker(1).port, 'p1');
          ctx.progress(`P4: consuming ${records.toLocaleString('en-US')} records of p1`);
          const o = await profiled(ctx, cluster.broker(1).pid, 'P4', async () => await consumeAll('p1', bootstrapOf(cluster), records, P4_FETCH_SIZE));
          const value = mbps(o.bytes, o.ms);
          ctx.progress(`P4: ${value.toFixed(1)} MB/s`);
          rows.push({
            scenario: name,
            measured: { value, unit: UNITS.mbps },
            reference: { value: limits.loopback / MB, unit: UNITS.mbps, label: 'TCP loopback' },
            target: { op: '>=', factor: 0.5 },
            note: `${(o.bytes / MB).toFixed(0)} MB of batches (${o.records.toLocaleString('en-US')} records) in ${(o.ms / 1000).toFixed(1)} s, Fetch v11 with --fetch-size ${P4_FETCH_SIZE / MIB} MiB${o.errors === '' ? '' : `; ${o.errors}`}`,
          });
        } catch (err) {
          rows.push(failed(name, err));
        }
      }
      if (want.has('P2')) {
        const name = 'P2 produce 100 B records, one producer, RF=1';
        try {
          await createTopic(cluster, { topic: 'p2', assignment: [[1]] });
          const o = await measuredProduce(ctx, cluster, 'p2', 1, 100, ACKS.leader, d);
          rows.push({ scenario: name, measured: { value: (o.records * 1000) / o.ms, unit: UNITS.recps }, target: { op: '>=', factor: 1_000_000 }, note: produceNote(o) });
        } catch (err) {
          rows.push(failed(name, err));
        }
      }
    } finally {
      await cluster.stop();
    }
  }
  if (want.has('P6')) rows.push(await natsRow(ctx, p1, d));
  return rows;
}

async function natsRow(ctx: SuiteContext, p1: number | undefined, d: Durations): Promise<SuiteRow> {
  const name = 'P6 P1 vs NATS JetStream (R1 file store, 1 KiB)';
  const missing = ensureNatsServer(ctx);
  if (missing !== undefined) return { scenario: name, measured: p1 === undefined ? undefined : { value: p1, unit: UNITS.mbps }, note: `skipped: ${missing}` };
  try {
    ctx.progress(`P6: NATS JetStream, warm-up ${d.warmupMs / 1000} s, measuring ${d.produceMs / 1000} s`);
    const o = await measureNats(ctx, 1024, d.warmupMs, d.produceMs);
    const peer = mbps(o.bytes, o.ms);
    ctx.progress(`P6: NATS JetStream ${peer.toFixed(1)} MB/s`);
    return {
      scenario: name,
      measured: p1 === undefined ? undefined : { value: p1, unit: UNITS.mbps },
      reference: { value: peer, unit: UNITS.mbps, label: 'NATS JetStream' },
      target: { op: '>=', factor: 2 },
      note: `NATS: ${o.messages.toLocaleString('en-US')} acknowledged publishes in ${(o.ms / 1000).toFixed(1)} s, 256 awaiting their ack at a time; both sides ack after the write, without fsync`,
    };
  } catch (err) {
    return failed(name, err);
  }
}

const rf3 = (ids: readonly number[]): { assignment: number[][]; configs: Record<string, string> } => ({ assignment: [[...ids]], configs: { 'min.insync.replicas': '2' } });

/** P5's rows at `rate` bytes/s: p50, p99 (with the issue's target when `targeted`) and p99.9. */
async function latencyRows(ctx: SuiteContext, cluster: TestCluster, leader: number, rate: number, topic: string, targeted: boolean): Promise<{ rows: SuiteRow[]; achieved: number | undefined }> {
  const d = durations(ctx.quick);
  const label = `${rate / MB} MB/s${targeted ? '' : ' (half of what 50 MB/s achieved)'}`;
  try {
    await createTopic(cluster, { topic, ...rf3(await idsControllerLast(cluster)) });
    ctx.progress(`P5: ${label} for ${d.latencyMs / 1000} s, acks=all`);
    const o = await measureEndToEnd(cluster.broker(leader).port, topic, { recordSize: 1024, bytesPerSecond: rate, ms: d.latencyMs });
    const h = o.histogram;
    const note = `${h.count.toLocaleString('en-US')} records measured after a 2 s warm-up, ${(o.achievedRate / MB).toFixed(1)} MB/s acknowledged, ${o.recordsPerRequest.toFixed(1)} records per Produce (up to 5 in flight, batch.size 256 KiB), max ${h.maxMs.toFixed(1)} ms${o.errors > 0 ? `; ${o.errors} errors, first: ${o.firstError ?? ''}` : ''}${o.unseen > 0 ? `; ${o.unseen} acknowledged records not consumed` : ''}`;
    ctx.progress(`P5: p50 ${h.percentileMs(0.5).toFixed(2)} ms, p99 ${h.percentileMs(0.99).toFixed(2)} ms, p99.9 ${h.percentileMs(0.999).toFixed(2)} ms; ${note}`);
    const row = (q: string, v: number, target?: SuiteRow['target']): SuiteRow => ({ scenario: `P5 end-to-end ${q}, ${label}, RF=3, acks=all`, measured: { value: v, unit: UNITS.ms }, target });
    const rows = [row('p50', h.percentileMs(0.5)), { ...row('p99', h.percentileMs(0.99), targeted ? { op: '<=', factor: 5 } : undefined), note }, row('p99.9', h.percentileMs(0.999))];
    return { rows, achieved: o.achievedRate };
  } catch (err) {
    return { rows: [failed(`P5 end-to-end latency, ${label}, RF=3, acks=all`, err)], achieved: undefined };
  }
}

/** P3, P5, P7 (kill -9) on three brokers. */
export async function threeBrokerGroup(ctx: SuiteContext, want: ReadonlySet<ScenarioId>, limits: Limits): Promise<SuiteRow[]> {
  const d = durations(ctx.quick);
  const rows: SuiteRow[] = [];
  if (!(want.has('P3') || want.has('P5') || want.has('P7'))) return rows;
  const cluster = await benchCluster(ctx, 3);
  try {
    const ids = await idsControllerLast(cluster);
    const leader = ids[0] ?? 1;
    if (want.has('P3')) {
      const name = 'P3 produce 1 KiB, 3 brokers, RF=3, acks=all, min.insync=2';
      try {
        await createTopic(cluster, { topic: 'p3', ...rf3(ids) });
        const o = await measuredProduce(ctx, cluster, 'p3', leader, 1024, ACKS.all, d);
        rows.push({ scenario: name, measured: { value: mbps(o.bytes, o.ms), unit: UNITS.mbps }, reference: { value: limits.fsAppend / 3 / MB, unit: UNITS.mbps, label: 'fs append / 3' }, target: { op: '>=', factor: 0.8 }, note: produceNote(o) });
      } catch (err) {
        rows.push(failed(name, err));
      }
    }
    if (want.has('P5')) {
      const target = await latencyRows(ctx, cluster, leader, 50 * MB, 'p5', true);
      rows.push(...target.rows);
      // When the cluster could not keep up with 50 MB/s, also the latency at half the rate it did take.
      if (target.achieved !== undefined && target.achieved < 0.9 * 50 * MB) {
        rows.push(...(await latencyRows(ctx, cluster, leader, Math.max(1, Math.round(target.achieved / 2 / MB)) * MB, 'p5-half', false)).rows);
      }
    }
    if (want.has('P7')) {
      const name = 'P7 leader failover after kill -9';
      try {
        const o = await leaderFailover(ctx, cluster, 'p7-failover');
        rows.push({
          scenario: name,
          measured: { value: o.ms / 1000, unit: UNITS.s },
          reference: { value: SESSION_TIMEOUT_MS / 1000, unit: UNITS.s, label: 'session timeout' },
          target: { op: '<=', factor: SESSION_TIMEOUT_MS / 1000 + 1, absolute: true },
          note: `broker ${o.oldLeader} killed; broker ${o.newLeader} leads and took an acks=all produce`,
        });
      } catch (err) {
        rows.push(failed(name, err));
      }
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}

/** P7 controlled shutdown on two brokers. */
export async function shutdownGroup(ctx: SuiteContext): Promise<SuiteRow[]> {
  const d = durations(ctx.quick);
  const rows: SuiteRow[] = [];
  const cluster = await benchCluster(ctx, 2);
  try {
    for (const n of d.shutdownPartitions) {
      const name = `P7 controlled shutdown, leader of ${n.toLocaleString('en-US')} partitions`;
      try {
        // The broker the last size stopped (whether or not its measurement succeeded) runs again first.
        for (const b of cluster.brokers.values()) {
          if (b.process.exitCode === null && b.process.signalCode === null) continue;
          ctx.progress(`P7: restarting broker ${b.id}`);
          await cluster.start(b.id);
        }
        const o = await controlledShutdown(ctx, cluster, `p7-cs-${n}`, n);
        rows.push({ scenario: name, measured: { value: o.ms / 1000, unit: UNITS.s }, target: n === 10_000 ? { op: '<=', factor: 3 } : undefined, note: `SIGTERM to exit of broker ${o.broker}; followers on the controller` });
      } catch (err) {
        rows.push(failed(name, err));
      }
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}

const CONTROLLER_TARGET_S: Readonly<Record<number, number>> = { 10_000: 1, 100_000: 7 };

/** P8 on two brokers: the partitions are added into ZooKeeper step by step, the controller killed after each. */
export async function controllerGroup(ctx: SuiteContext): Promise<SuiteRow[]> {
  const d = durations(ctx.quick);
  const rows: SuiteRow[] = [];
  const cluster = await benchCluster(ctx, 2);
  try {
    let written = 0;
    let nextTopic = 0;
    for (const n of d.controllerPartitions) {
      const name = `P8 controller failover, ${n.toLocaleString('en-US')} partitions`;
      try {
        nextTopic = await writePartitions(ctx, cluster, nextTopic, n - written);
        written = n;
        const o = await controllerFailover(ctx, cluster);
        const target = CONTROLLER_TARGET_S[n];
        rows.push({
          scenario: name,
          measured: { value: o.readyMs / 1000, unit: UNITS.s },
          target: target === undefined ? undefined : { op: '<=', factor: target },
          note: `from broker ${o.newController}'s election to its UpdateMetadata in the metadata cache; ${(o.fromKillMs / 1000).toFixed(2)} s from the kill -9 of controller ${o.oldController} (${SESSION_TIMEOUT_MS / 1000} s session timeout included); partitions on an absent broker`,
        });
      } catch (err) {
        rows.push(failed(name, err));
        break;
      }
    }
  } finally {
    await cluster.stop();
  }
  return rows;
}

/** P9 on a fresh broker. */
export async function memoryGroup(ctx: SuiteContext): Promise<SuiteRow[]> {
  const d = durations(ctx.quick);
  const name = 'P9 broker RSS, idle, 1,000 partitions';
  const cluster = await benchCluster(ctx, 1);
  try {
    const o = await idleMemory(ctx, cluster, 1000, d.idleMs);
    ctx.progress(`P9: RSS ${(o.rssBytes / MB).toFixed(0)} MB`);
    return [{ scenario: name, measured: { value: o.rssBytes / MB, unit: UNITS.mb }, target: { op: '<=', factor: 150 }, note: `${(o.beforeBytes / MB).toFixed(0)} MB before the partitions were created; measured after ${d.idleMs / 1000} s idle` }];
  } catch (err) {
    return [failed(name, err)];
  } finally {
    await cluster.stop();
  }
}
