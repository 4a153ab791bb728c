// Long durability run: the suite's durability-under-failure scenario for ten minutes (by default).
//
// Start it without npm, from the repository root, after `npx tsc -p tsconfig.json`:
//
//   node dist/test/chaos/durability-long.js --minutes 10
//
// Options: --minutes <n> (default 10, fractions allowed), --partitions <n> (default 6),
//          --session-timeout-ms <n> (broker zookeeper.session.timeout.ms, default 6000), --keep (leave the
//          cluster's temp dir with the broker logs; KEEP_TEST_DIRS=1 does the same).
// It starts its own ZooKeeper and three brokers in a temp dir, prints progress, every kill with its timings
// (time to a new leader, to a new controller, to the process exit, to full ISR), and the counts: sent,
// acknowledged, read back, lost, duplicates. Exit code 0 when no acknowledged record was lost, reordered or
// displaced and the cluster recovered; 1 otherwise (the broker log tails are printed then); 2 on bad arguments.
// Do not rebuild (tsc) while it runs: restarted brokers load dist/ afresh, and a half-written
// dist/src/cli/main.js makes a restart exit at once with code 0 and no output.
import { parseArgs } from 'node:util';

import { runDurabilityChaos, type DurabilityChaosResult } from '../harness/chaos.js';
import { startCluster, type TestCluster } from '../harness/cluster.js';

interface LongRunArgs {
  readonly minutes: number;
  readonly partitions: number;
  readonly sessionTimeoutMs: number;
}

function parse(argv: readonly string[]): LongRunArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      minutes: { type: 'string', default: '10' },
      partitions: { type: 'string', default: '6' },
      'session-timeout-ms': { type: 'string', default: '6000' },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.keep === true) process.env['KEEP_TEST_DIRS'] = '1';
  const args = {
    minutes: Number(values.minutes),
    partitions: Number(values.partitions),
    sessionTimeoutMs: Number(values['session-timeout-ms']),
  };
  if (!(args.minutes > 0) || !Number.isInteger(args.partitions) || args.partitions < 1 || !(args.sessionTimeoutMs >= 1000)) {
    throw new Error(`bad arguments: ${JSON.stringify(values)}`);
  }
  return args;
}

function stamp(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

/** Median and maximum of the defined values, for the kill timing summary. */
function spread(values: ReadonlyArray<number | undefined>): string {
  const xs = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const timeouts = values.length - xs.length;
  if (xs.length === 0) return timeouts > 0 ? `all ${timeouts} timed out` : 'n/a';
  const median = xs[Math.floor(xs.length / 2)] ?? 0;
  return `median ${median} ms, max ${xs.at(-1) ?? 0} ms over ${xs.length}${timeouts > 0 ? `, ${timeouts} timed out` : ''}`;
}

function problems(result: DurabilityChaosResult): string[] {
  const r = result.report;
  const out: string[] = [];
  if (r.lost > 0) out.push(`${r.lost} acknowledged records lost`);
  if (r.orderViolations > 0) out.push(`${r.orderViolations} acknowledged records out of order`);
  if (r.displaced > 0) out.push(`${r.displaced} acknowledged offsets hold other data`);
  if (r.foreign > 0) out.push(`${r.foreign} records in the wrong partition`);
  if (r.acknowledged === 0) out.push('nothing was acknowledged');
  if (result.chaosError !== undefined) out.push(`a kill or restart failed: ${result.chaosError}`);
  if (result.recoveryError !== undefined) out.push(`the cluster did not recover: ${result.recoveryError}`);
  return out;
}

async function main(): Promise<number> {
  let args: LongRunArgs;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    console.error('usage: node dist/test/chaos/durability-long.js [--minutes 10] [--partitions 6] [--session-timeout-ms 6000] [--keep]');
    return 2;
  }
  stamp(`durability long run: ${args.minutes} min of chaos, ${args.partitions} partitions, session timeout ${args.sessionTimeoutMs} ms`);
  let cluster: TestCluster | undefined;
  try {
    cluster = await startCluster({
      brokers: 3,
      overrides: {
        'zookeeper.session.timeout.ms': String(args.sessionTimeoutMs),
        'replica.lag.time.max.ms': '5000',
      },
    });
    stamp(`cluster up in ${cluster.rootDir}`);
    const result = await runDurabilityChaos(cluster, {
      chaosMs: Math.round(args.minutes * 60_000),
      partitions: args.partitions,
      killer: { electionTimeoutMs: args.sessionTimeoutMs + 15_000, isrWaitMs: 10_000 },
      progressEveryMs: 30_000,
      log: stamp,
    });
    console.log(result.summary);
    const k = result.kills;
    console.log(
      `kill timings: new leader ${spread(k.filter((x) => x.ledPartitions.length > 0).map((x) => x.newLeaderMs))}; ` +
        `new controller ${spread(k.filter((x) => x.wasController).map((x) => x.newControllerMs))}; ` +
        `SIGKILL exit ${spread(k.filter((x) => x.signal === 'SIGKILL').map((x) => x.exitMs))}; ` +
        `SIGTERM exit ${spread(k.filter((x) => x.signal === 'SIGTERM').map((x) => x.exitMs))}; ` +
        `full ISR after restart ${spread(k.map((x) => x.isrRecoveredMs))}`,
    );
    const r = result.report;
    console.log(`counts: sent=${r.sent} acknowledged=${r.acknowledged} readBack=${r.readBack} lost=${r.lost} duplicates=${r.duplicates}`);
    const found = problems(result);
    if (found.length > 0) {
      console.log(`FAILED: ${found.join('; ')}`);
      cluster.printLogTails(60);
      return 1;
    }
    console.log('OK: every acknowledged record was read back, in order per partition');
    return 0;
  } catch (err) {
    console.error(`FAILED: ${(err as Error).stack ?? String(err)}`);
    cluster?.printLogTails(60);
    return 1;
  } finally {
    await cluster?.stop();
  }
}

process.exitCode = await main();
