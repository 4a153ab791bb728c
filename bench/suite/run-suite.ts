/**
 * The benchmark suite of issue 5 (`npm run bench`): measures the machine's limits (fs append in the data
 * directory, TCP loopback), brings up the clusters each scenario needs, and prints one table in which every
 * scenario stands beside the limit or peer it is bounded by. Progress goes to stderr, the machine description
 * and the table to stdout. Targets are reported, never asserted; the exit code is 0 unless the suite itself
 * could not run.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCpuTimes, stealText } from './cpu-steal.js';
import { measureFsAppend, measureLoopback } from './limits.js';
import { describeMachine } from './machine-info.js';
import { parseSuiteArgs, SUITE_USAGE, SuiteUsageError, type ScenarioId, type SuiteArgs } from './suite-args.js';
import { MB, SuiteContext } from './suite-context.js';
import { formatTable, UNITS, type SuiteRow } from './suite-table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const GiB = 1024 ** 3;

/** P4 and P6 stand on P1's run (P4 reads P1's partition, P6 compares with P1's figure). */
function withDependencies(only: readonly ScenarioId[]): Set<ScenarioId> {
  const want = new Set(only);
  if (want.has('P4') || want.has('P6')) want.add('P1');
  return want;
}

async function run(args: SuiteArgs): Promise<void> {
  const parent = path.resolve(args.dataDir ?? path.join(repoRoot, 'bench-data'));
  if (args.profileDir !== undefined) {
    // Read by the harness when it loads (below): brokers start through the profiling wrapper.
    process.env['SK_BENCH_PROFILE_DIR'] = path.resolve(args.profileDir);
    process.env['STREAMKEEPER_CLI'] = path.join(repoRoot, 'dist', 'bench', 'profiled-broker.js');
    const fs = await import('node:fs');
    fs.mkdirSync(path.resolve(args.profileDir), { recursive: true });
  }
  const ctx = SuiteContext.create(parent, args.quick, args.profileDir === undefined ? undefined : path.resolve(args.profileDir));
  const started = new Date();
  const cpuAtStart = readCpuTimes();
  const out: string[] = [`Streamkeeper benchmark suite, ${started.toISOString()}${args.quick ? ' (--quick: smoke check, not a measurement)' : ''}`, ...describeMachine(ctx.root)];
  process.stdout.write(`${out.join('\n')}\n`);
  const rows: SuiteRow[] = [];
  try {
    ctx.progress(`working directory ${ctx.root} (brokers, ZooKeeper, NATS and the fs limit all write here)`);
    const fsLimit = await measureFsAppend(ctx.root, args.quick ? GiB / 4 : 2 * GiB, args.quick ? 3000 : 30_000);
    ctx.progress(`fs append: ${(fsLimit.bytes / GiB).toFixed(2)} GiB in ${(fsLimit.ms / 1000).toFixed(1)} s = ${(fsLimit.rate / MB).toFixed(0)} MB/s`);
    const loop = await measureLoopback(args.quick ? 2000 : 10_000);
    ctx.progress(`TCP loopback: ${(loop.rate / MB).toFixed(0)} MB/s; CPU steal while measuring the limits ${stealText(cpuAtStart, readCpuTimes())}`);
    const limits = { fsAppend: fsLimit.rate, loopback: loop.rate };
    rows.push(
      { scenario: 'limit: fs append, 1 MiB writes, fsync at end', measured: { value: fsLimit.rate / MB, unit: UNITS.mbps }, note: `${(fsLimit.bytes / GiB).toFixed(2)} GiB in ${(fsLimit.ms / 1000).toFixed(1)} s in the data directory` },
      { scenario: 'limit: TCP loopback, 1 socket, 1 MiB writes', measured: { value: loop.rate / MB, unit: UNITS.mbps } },
    );
    const want = withDependencies(args.only);
    const s = await import('./scenarios.js');
    /** Runs a group of scenarios and, when it measured any, says how much CPU the hypervisor took meanwhile. */
    const group = async (name: string, runGroup: () => Promise<SuiteRow[]>): Promise<void> => {
      const before = readCpuTimes();
      const measured = await runGroup();
      rows.push(...measured);
      if (measured.length > 0) ctx.progress(`${name}: CPU steal ${stealText(before, readCpuTimes())}`);
    };
    await group('P1, P2, P4, P6', async () => await s.singleBrokerGroup(ctx, want, limits));
    await group('P3, P5, P7 failover', async () => await s.threeBrokerGroup(ctx, want, limits));
    if (want.has('P7')) await group('P7 controlled shutdown', async () => await s.shutdownGroup(ctx));
    if (want.has('P8')) await group('P8', async () => await s.controllerGroup(ctx));
    if (want.has('P9')) await group('P9', async () => await s.memoryGroup(ctx));
  } finally {
    await ctx.cleanUp();
  }
  const minutes = (Date.now() - started.getTime()) / 60_000;
  process.stdout.write(`\n${formatTable(rows)}\n\nMB = 10^6 bytes; run took ${minutes.toFixed(1)} min; load average at the end ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}; CPU steal (the hypervisor running other guests) ${stealText(cpuAtStart, readCpuTimes())} of the run\n`);
}

try {
  const args = parseSuiteArgs(process.argv.slice(2));
  if (args.help) process.stdout.write(`${SUITE_USAGE}\n`);
  else await run(args);
} catch (err) {
  if (err instanceof SuiteUsageError) {
    process.stderr.write(`${err.message}\n${SUITE_USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`benchmark suite failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
