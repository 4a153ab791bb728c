/**
 * The broker CLI with an in-process CPU profiler that SIGUSR2 toggles: the first signal starts sampling, the next
 * writes `broker-<pid>-<n>.cpuprofile` into $SK_BENCH_PROFILE_DIR. Node 20 refuses --cpu-prof in NODE_OPTIONS, so
 * the replicated-produce bench points the harness at this file (STREAMKEEPER_CLI) to profile exactly its measured run.
 *   STREAMKEEPER_CLI=dist/bench/profiled-broker.js SK_BENCH_PROFILE_DIR=/tmp/prof ...
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

const dir = process.env['SK_BENCH_PROFILE_DIR'] ?? process.cwd();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
let running = false;
let written = 0;
let busy: Promise<void> = Promise.resolve();

async function toggle(): Promise<void> {
  if (!running) {
    await session.post('Profiler.start');
    running = true;
    return;
  }
  const { profile } = await session.post('Profiler.stop');
  running = false;
  const file = path.join(dir, `broker-${process.pid}-${++written}.cpuprofile`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(profile));
  fs.renameSync(`${file}.tmp`, file);
}

process.on('SIGUSR2', () => {
  busy = busy.then(toggle).catch((err: unknown) => {
    process.stderr.write(`profiler: ${String(err)}\n`);
  });
});

await import('../src/cli/main.js');
