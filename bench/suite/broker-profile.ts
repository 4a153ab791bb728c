/**
 * CPU profiles of one broker during a measured window: brokers run through bench/profiled-broker.js (set up by
 * run-suite when --profile-dir is given), SIGUSR2 starts the in-process profiler and the next SIGUSR2 writes
 * `broker-<pid>-<n>.cpuprofile`; the top frames by self time go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { summarizeProfile } from '../cpu-profile-summary.js';
import type { SuiteContext } from './suite-context.js';

type CpuProfile = Parameters<typeof summarizeProfile>[0];

function profileFiles(dir: string, pid: number): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith(`broker-${pid}-`) && f.endsWith('.cpuprofile'));
}

/** Runs `fn` with broker `pid` profiled (when the suite profiles at all); prints the top frames as `label`. */
export async function profiled<T>(ctx: SuiteContext, pid: number, label: string, fn: () => Promise<T>): Promise<T> {
  const dir = ctx.profileDir;
  if (dir === undefined) return await fn();
  const before = profileFiles(dir, pid).length;
  process.kill(pid, 'SIGUSR2');
  await sleep(100);
  try {
    return await fn();
  } finally {
    process.kill(pid, 'SIGUSR2');
    const deadline = Date.now() + 30_000;
    while (profileFiles(dir, pid).length <= before && Date.now() < deadline) await sleep(100);
    const file = profileFiles(dir, pid).sort((a, b) => Number(/-(\d+)\.cpuprofile$/.exec(a)?.[1]) - Number(/-(\d+)\.cpuprofile$/.exec(b)?.[1])).at(-1);
    if (file === undefined) ctx.progress(`${label}: broker ${pid} wrote no CPU profile`);
    else ctx.progress(`${label}: CPU profile of the leader (${path.join(dir, file)}):\n${topFrames(path.join(dir, file), 15)}`);
  }
}

/** The `top` frames by self time (and the idle share) of a .cpuprofile, one per line. */
function topFrames(file: string, top: number): string {
  const s = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  const pct = (ms: number): string => `${((ms / s.totalMs) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`  ${(s.totalMs / 1000).toFixed(1)} s sampled, ${pct(s.idleMs)} idle; top ${top} by self time:`];
  for (const f of [...s.frames].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) lines.push(`    ${pct(f.selfMs)}  ${f.frame}`);
  return lines.join('\n');
}
