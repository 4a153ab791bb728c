/**
 * Benchmark (not a test): produce throughput and latency on a real 3-broker cluster (real ZooKeeper, broker
 * processes from dist/, started by test/harness/cluster.ts), with a raw pipelining Produce v7 client that sends
 * one pre-built batch of 64 x 1 KiB records over and over (the leader assigns new offsets each time).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/replicated-produce.js \
 *     [--seconds 10] [--warmup 1] [--in-flight 8] [--rate-mib 10] [--only rf3-all,...] [--profile-dir DIR]
 *
 * Scenarios: rf1-acks1, rf3-acks1, rf3-all (acks=all, min.insync.replicas=2), each closed-loop with --in-flight
 * requests outstanding; rf3-all-rate: acks=all at a fixed --rate-mib MiB/s, latency from the scheduled send time.
 * The partition leader is a broker other than the controller. After each scenario the bench waits until every
 * replica's segment files on disk hold the leader's log (same bytes, same log end offset) and prints the leader's
 * high watermark (ListOffsets), the on-disk state of each replica, the ISR in ZooKeeper and the catch-up time.
 * CPU column: % of one core used during the measured run by the leader, the followers and the bench, then
 * `+rest`: everything else on the machine (ZooKeeper, the kernel's softirq time, and anything else running there;
 * a large `+rest` means the figures were taken on a busy machine).
 * --profile-dir runs the brokers through bench/profiled-broker.js and profiles the leader during each measured run
 * (not the warm-up); the top frames are printed at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { newKafka } from '../test/harness/clients.js';
import type { TestCluster } from '../test/harness/cluster.js';
import type { MetadataResponse } from '../src/protocol/apis/metadata/index.js';
import type { ListOffsetsResponse } from '../src/protocol/apis/list-offsets/index.js';
import { printProfileSummary } from './cpu-profile-summary.js';
import { closedLoop, openLoop, percentile, produceTemplate, type LoadResult } from './produce-load.js';
import { RawKafkaClient } from '../src/cli/perf/raw-kafka-client.js';
import { replicaOnDisk, type ReplicaOnDisk } from './replica-disk.js';

const MiB = 1024 * 1024;
const RECORDS_PER_BATCH = 64;
const VALUE_BYTES = 1024;
const CLK_TCK = 100;
const CATCH_UP_TIMEOUT_MS = 60_000;

interface Scenario {
  readonly name: string;
  readonly rf: 1 | 3;
  readonly acks: 1 | -1;
  readonly minInsync: number;
  readonly fixedRate: boolean;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'rf1-acks1', rf: 1, acks: 1, minInsync: 1, fixedRate: false },
  { name: 'rf3-acks1', rf: 3, acks: 1, minInsync: 1, fixedRate: false },
  { name: 'rf3-all', rf: 3, acks: -1, minInsync: 2, fixedRate: false },
  { name: 'rf3-all-rate', rf: 3, acks: -1, minInsync: 2, fixedRate: true },
];

interface Row {
  readonly scenario: Scenario;
  readonly result: LoadResult;
  readonly batchBytes: number;
  readonly cpu: string;
  readonly note: string;
  readonly profile: string | undefined;
}

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '1' },
    'in-flight': { type: 'string', default: '8' },
    'rate-mib': { type: 'string', default: '10' },
    only: { type: 'string' },
    'profile-dir': { type: 'string' },
  },
});
const seconds = Number(args.seconds);
const warmupSeconds = Number(args.warmup);
const inFlight = Number(args['in-flight']);
const rateMiB = Number(args['rate-mib']);
const only = args.only?.split(',');
const profileDir = args['profile-dir'] === undefined ? undefined : path.resolve(args['profile-dir']);

/** utime + stime of a process in seconds, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** CPU time used by the whole machine (all processes) in seconds, from /proc/stat. */
function machineCpuSeconds(): number {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return (fields.reduce((a, b) => a + b, 0) - idle) / CLK_TCK;
}

async function metadata(client: RawKafkaClient, topic: string): Promise<MetadataResponse> {
  return await client.request<MetadataResponse>(3, 1, { topics: [{ name: topic }] });
}

/** Creates `topic` with one partition on `replicas` (the first is the preferred leader) and waits for a full ISR. */
async function createTopic(cluster: TestCluster, probe: RawKafkaClient, topic: string, replicas: number[], minInsync: number): Promise<{ leader: number; port: number }> {
  const admin = newKafka(cluster.bootstrap, 'sk-bench-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, replicaAssignment: [{ partition: 0, replicas }], configEntries: [{ name: 'min.insync.replicas', value: String(minInsync) }] }],
    });
  } finally {
    await admin.disconnect();
  }
  return await cluster.waitFor(
    async () => {
      const md = await metadata(probe, topic);
      const p = md.topics[0]?.partitions[0];
      if (p === undefined || p.leaderId < 0 || p.isrNodes.length !== replicas.length) return undefined;
      const broker = md.brokers.find((b) => b.nodeId === p.leaderId);
      return broker === undefined ? undefined : { leader: p.leaderId, port: broker.port };
    },
    { timeoutMs: 30_000, what: `a leader and a full ISR for ${topic}` },
  );
}

async function highWatermark(client: RawKafkaClient, topic: string): Promise<number> {
  const r = await client.request<ListOffsetsResponse>(2, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
  const p = r.topics[0]?.partitions[0];
  if (p === undefined || p.errorCode !== 0) throw new Error(`ListOffsets for ${topic} failed: ${JSON.stringify(p, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  return Number(p.offset);
}

/** Waits until every replica's disk holds the leader's log; returns a one-line description of the state. */
async function verifyReplication(cluster: TestCluster, client: RawKafkaClient, topic: string, replicas: number[], leader: number, produced: number): Promise<string> {
  const started = performance.now();
  const logDir = (id: number): string => path.join(cluster.broker(id).dataDir, 'kafka-logs');
  let disks = new Map<number, ReplicaOnDisk>();
  let hw = -1;
  const caughtUp = async (): Promise<boolean> => {
    hw = await highWatermark(client, topic);
    disks = new Map(replicas.map((id) => [id, replicaOnDisk(logDir(id), topic, 0)]));
    const lead = disks.get(leader);
    return lead !== undefined && lead.logEndOffset === hw && [...disks.values()].every((d) => d.logEndOffset === lead.logEndOffset && d.bytes === lead.bytes);
  };
  let ok = true;
  try {
    await cluster.waitFor(caughtUp, { timeoutMs: CATCH_UP_TIMEOUT_MS, what: `replicas of ${topic} to match the leader` });
  } catch {
    ok = false;
  }
  const waitedMs = performance.now() - started;
  const state = (await cluster.zkClient.getJson(`/brokers/topics/${topic}/partitions/0/state`)) as { isr?: number[] } | undefined;
  const perReplica = replicas.map((id) => {
    const d = disks.get(id);
    return `b${id}${id === leader ? '(L)' : ''} LEO ${d?.logEndOffset ?? '?'} ${((d?.bytes ?? 0) / MiB).toFixed(1)} MiB`;
  });
  const verdict = ok ? `all replicas identical on disk after ${waitedMs.toFixed(0)} ms` : `REPLICAS DID NOT CATCH UP within ${CATCH_UP_TIMEOUT_MS} ms`;
  return `${verdict}; leader HW ${hw} (records acknowledged ${produced}); ${perReplica.join(', ')}; ISR in ZooKeeper ${JSON.stringify(state?.isr ?? null)}`;
}

/** Starts (`expectFiles` undefined) or stops the profiler in a profiled-broker.js process; returns the file count. */
async function toggleProfiler(pid: number, expectFiles: number | undefined): Promise<number> {
  const dir = profileDir ?? '.';
  const count = (): number => fs.readdirSync(dir).filter((f) => f.startsWith(`broker-${pid}-`) && f.endsWith('.cpuprofile')).length;
  const before = count();
  process.kill(pid, 'SIGUSR2');
  if (expectFiles === undefined) {
    await new Promise((r) => setTimeout(r, 100));
    return before;
  }
  const deadline = Date.now() + 30_000;
  while (count() <= expectFiles) {
    if (Date.now() > deadline) throw new Error(`broker pid ${pid} wrote no CPU profile`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return count();
}

async function runScenario(cluster: TestCluster, probe: RawKafkaClient, s: Scenario, replicaOrder: number[]): Promise<Row> {
  const topic = `bench-${s.name}-${Date.now().toString(36)}`;
  const replicas = replicaOrder.slice(0, s.rf);
  const { leader, port } = await createTopic(cluster, probe, topic, replicas, s.minInsync);
  const client = await RawKafkaClient.connect(port);
  try {
    const t = produceTemplate(topic, s.acks, RECORDS_PER_BATCH, VALUE_BYTES);
    const run = async (ms: number): Promise<LoadResult> =>
      s.fixedRate ? await openLoop(client, t, rateMiB * MiB, ms) : await closedLoop(client, t, inFlight, ms);
    const warm = await run(warmupSeconds * 1000);
    const pids = [leader, ...replicas.filter((id) => id !== leader)].map((id) => cluster.broker(id).pid);
    const cpu0 = pids.map(cpuSeconds);
    const self0 = process.cpuUsage();
    const machine0 = machineCpuSeconds();
    const profiling = profileDir === undefined ? undefined : await toggleProfiler(cluster.broker(leader).pid, undefined);
    const result = await run(seconds * 1000);
    const profile = profiling === undefined ? undefined : path.join(profileDir ?? '.', `broker-${cluster.broker(leader).pid}-${await toggleProfiler(cluster.broker(leader).pid, profiling)}.cpuprofile`);
    const wallS = result.elapsedMs / 1000;
    const shares = pids.map((pid, i) => (cpuSeconds(pid) - (cpu0[i] ?? 0)) / wallS);
    const selfUsage = process.cpuUsage(self0);
    shares.push((selfUsage.user + selfUsage.system) / 1e6 / wallS);
    const others = (machineCpuSeconds() - machine0) / wallS - shares.reduce((a, b) => a + b, 0);
    const cpu = `${shares.map((x) => `${(x * 100).toFixed(0)}`).join('/')} +${(Math.max(0, others) * 100).toFixed(0)}`;
    const produced = (warm.requests - warm.errors + result.requests - result.errors) * RECORDS_PER_BATCH;
    const note = await verifyReplication(cluster, client, topic, replicas, leader, produced);
    console.log(`  ${s.name}: ${note}`);
    if (result.errors > 0) console.log(`  ${s.name}: ${result.errors} failed requests, first: ${result.firstError ?? ''}`);
    return { scenario: s, result, batchBytes: t.batchBytes, cpu, note, profile };
  } finally {
    client.close();
  }
}

function label(s: Scenario): string {
  const acks = s.acks === -1 ? `acks=all min.insync=${s.minInsync}` : 'acks=1';
  const load = s.fixedRate ? `${rateMiB} MiB/s fixed` : `${inFlight} in flight`;
  return `RF=${s.rf} ${acks}, ${load}`;
}

function printTable(rows: readonly Row[]): void {
  const header = ['scenario', 'MiB/s', 'records/s', 'req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'errors', 'CPU% L/F/F/bench +rest'];
  const lines = rows.map(({ scenario, result, batchBytes, cpu }) => {
    const ok = result.requests - result.errors;
    const perS = (n: number): number => (n * 1000) / result.elapsedMs;
    const sorted = [...result.latenciesMs].sort((a, b) => a - b);
    const ms = (q: number): string => percentile(sorted, q).toFixed(1);
    return [
      label(scenario),
      (perS(ok * batchBytes) / MiB).toFixed(1),
      perS(ok * RECORDS_PER_BATCH).toFixed(0),
      perS(ok).toFixed(0),
      ms(0.5),
      ms(0.99),
      ms(0.999),
      (sorted[sorted.length - 1] ?? NaN).toFixed(1),
      String(result.errors),
      cpu,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  console.log('replication after each run:');
  for (const r of rows) console.log(`  ${r.scenario.name}: ${r.note}`);
}

function printProfiles(rows: readonly Row[]): void {
  for (const r of rows) {
    if (r.profile === undefined) continue;
    console.log(`\nleader CPU profile during ${r.scenario.name} (${label(r.scenario)}):`);
    printProfileSummary(r.profile, 25);
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model ?? '?'}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`load: ${RECORDS_PER_BATCH} x ${VALUE_BYTES} B records per Produce v7 batch, ${seconds} s per scenario after ${warmupSeconds} s warm-up; brokers, ZooKeeper and this load generator share the machine`);
  if (profileDir !== undefined) {
    fs.mkdirSync(profileDir, { recursive: true });
    process.env['SK_BENCH_PROFILE_DIR'] = profileDir;
    process.env['STREAMKEEPER_CLI'] = fileURLToPath(new URL('./profiled-broker.js', import.meta.url));
  }
  // Imported here: the harness reads STREAMKEEPER_CLI when it loads.
  const { startCluster } = await import('../test/harness/cluster.js');
  console.log(`load average before the cluster starts: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const cluster = await startCluster({ brokers: 3, overrides: { 'streamkeeper.log.level': 'warn' } });
  try {
    const controller = ((await cluster.zkClient.getJson('/controller')) as { brokerid?: number } | undefined)?.brokerid ?? -1;
    const ids = [...cluster.brokers.keys()].sort((a, b) => Number(a === controller) - Number(b === controller) || a - b);
    const leaderId = ids[0] ?? 1;
    console.log(`cluster: brokers ${ids.join(', ')}; controller ${controller}; partition leaders on broker ${leaderId}`);
    const probe = await RawKafkaClient.connect(cluster.broker(leaderId).port);
    const rows: Row[] = [];
    try {
      for (const s of SCENARIOS.filter((x) => only === undefined || only.includes(x.name))) {
        rows.push(await runScenario(cluster, probe, s, ids));
      }
    } finally {
      probe.close();
    }
    console.log(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    printTable(rows);
    printProfiles(rows);
  } catch (err) {
    cluster.printLogTails(20);
    throw err;
  } finally {
    await cluster.stop();
  }
}

await main();
