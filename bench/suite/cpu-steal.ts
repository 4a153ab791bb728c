/**
 * CPU steal: time the hypervisor ran other guests on this VM's cores. On a shared machine it explains figures that
 * swing between runs of the same code, so the suite reports it beside them.
 */
import fs from 'node:fs';

export interface CpuTimes {
  /** Jiffies stolen, all cores. */
  readonly steal: number;
  /** Jiffies of every kind, all cores. */
  readonly total: number;
}

/** The aggregate `cpu` line of /proc/stat; undefined when the text has none. */
export function parseProcStat(text: string): CpuTimes | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice: guest time is already inside user and nice.
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
  return { steal: fields[7] ?? 0, total: fields.reduce((n, x) => n + x, 0) };
}

export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseProcStat(fs.readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** "12.3 %" of the time between the two readings that was stolen, or "unknown". */
export function stealText(from: CpuTimes | undefined, to: CpuTimes | undefined): string {
  if (from === undefined || to === undefined || to.total <= from.total) return 'unknown';
  return `${((100 * (to.steal - from.steal)) / (to.total - from.total)).toFixed(1)} %`;
}
