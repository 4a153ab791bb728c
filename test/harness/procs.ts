import fs from 'node:fs';

/** Pids of live processes whose command line mentions `needle` (e.g. a unique temp dir), excluding this one. */
export function pidsMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && cmdline.includes(needle)) out.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return out;
}
