/**
 * Summarises a V8 `.cpuprofile` (as written by `node --cpu-prof`): the functions with the most self time and the
 * most inclusive time.
 *   node dist/bench/cpu-profile-summary.js <file.cpuprofile> [top=20]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameTime {
  readonly frame: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly frames: FrameTime[];
}

function frameName(n: ProfileNode, root: string): string {
  const f = n.callFrame;
  const url = f.url.replace(/^file:\/\//, '').replace(root, '').replace(/^.*\/node_modules\//, 'node_modules/');
  const where = url === '' ? '' : ` ${url}:${f.lineNumber + 1}`;
  return `${f.functionName === '' ? '(anonymous)' : f.functionName}${where}`;
}

/** Self and inclusive time per function (frames with the same name and location are merged). */
export function summarizeProfile(profile: CpuProfile, root = process.cwd() + '/'): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(profile.samples[i] ?? -1);
    if (leaf === undefined) continue;
    totalMs += ms;
    if (leaf.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const leafName = frameName(leaf, root);
    self.set(leafName, (self.get(leafName) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (n === undefined) break;
      const name = frameName(n, root);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  }
  const frames = [...total].map(([frame, totalFrameMs]) => ({ frame, selfMs: self.get(frame) ?? 0, totalMs: totalFrameMs }));
  return { totalMs, idleMs, frames };
}

export function printProfileSummary(file: string, top = 20): void {
  const s = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  const pct = (ms: number): string => `${((ms / s.totalMs) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${pct(s.idleMs)} idle`);
  console.log(`  top ${top} by self time:`);
  for (const f of [...s.frames].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) console.log(`    ${pct(f.selfMs)}  ${f.frame}`);
  console.log(`  top ${top} by inclusive time (excluding the root and program frames):`);
  const skip = new Set(['(root)', '(program)', '(garbage collector)']);
  for (const f of [...s.frames].filter((x) => !skip.has(x.frame)).sort((a, b) => b.totalMs - a.totalMs).slice(0, top)) {
    console.log(`    ${pct(f.totalMs)}  ${f.frame}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node dist/bench/cpu-profile-summary.js <file.cpuprofile> [top=20]');
    process.exitCode = 2;
  } else {
    printProfileSummary(file, Number(top ?? 20));
  }
}
