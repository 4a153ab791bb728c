/**
 * The suite's one table: each scenario's measurement beside the limit (or peer) it is bounded by, their ratio,
 * the issue's target and whether it was met. Targets are reported, never asserted.
 */

export const UNITS = { mbps: 'MB/s', recps: 'rec/s', ms: 'ms', s: 's', mb: 'MB' } as const;
export type Unit = (typeof UNITS)[keyof typeof UNITS];

export interface Quantity {
  readonly value: number;
  readonly unit: Unit;
}

export interface Reference extends Quantity {
  /** What the reference is, e.g. "fs append" or "NATS JetStream". */
  readonly label: string;
}

/**
 * `measured <op> factor × reference` (relative: a row with a reference) or `measured <op> factor` (absolute:
 * no reference, factor in the measured unit).
 */
export interface Target {
  readonly op: '>=' | '<=';
  readonly factor: number;
  /** Compare with `factor` itself even though the row shows a reference (e.g. failover ≤ 7 s beside a 6 s session). */
  readonly absolute?: true;
}

export interface SuiteRow {
  /** e.g. "P1 produce 1 KiB RF=1 acks=1". */
  readonly scenario: string;
  /** Undefined when the scenario could not measure (then `note` says why). */
  readonly measured: Quantity | undefined;
  readonly reference?: Reference | undefined;
  readonly target?: Target | undefined;
  readonly note?: string | undefined;
}

export const VERDICT = { met: 'yes', missed: 'NO', none: '-', unknown: '?' } as const;
export type Verdict = (typeof VERDICT)[keyof typeof VERDICT];

export interface Evaluation {
  /** measured / reference; undefined without both. */
  readonly ratio: number | undefined;
  readonly verdict: Verdict;
}

export function evaluate(row: SuiteRow): Evaluation {
  const m = row.measured?.value;
  const ref = row.reference?.value;
  const ratio = m !== undefined && ref !== undefined && ref > 0 && Number.isFinite(m) ? m / ref : undefined;
  if (row.target === undefined) return { ratio, verdict: VERDICT.none };
  if (m === undefined || !Number.isFinite(m)) return { ratio, verdict: VERDICT.unknown };
  let bound: number;
  if (row.reference === undefined || row.target.absolute === true) bound = row.target.factor;
  else if (ref !== undefined && ref > 0 && Number.isFinite(ref)) bound = row.target.factor * ref;
  else return { ratio, verdict: VERDICT.unknown };
  const met = row.target.op === '>=' ? m >= bound : m <= bound;
  return { ratio, verdict: met ? VERDICT.met : VERDICT.missed };
}

/** Three significant digits for small values, thousands separators for large ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  if (abs === 0) return '0';
  return value.toPrecision(2);
}

function formatQuantity(q: Quantity | undefined): string {
  return q === undefined ? 'n/a' : `${formatNumber(q.value)} ${q.unit}`;
}

const OP_TEXT = { '>=': '≥', '<=': '≤' } as const;

export function formatTarget(row: SuiteRow): string {
  const t = row.target;
  if (t === undefined) return '-';
  if (row.reference === undefined || t.absolute === true) return `${OP_TEXT[t.op]} ${formatNumber(t.factor)} ${row.measured?.unit ?? ''}`.trimEnd();
  return `${OP_TEXT[t.op]} ${formatNumber(t.factor)} × ${row.reference.label}`;
}

const TABLE_HEADER = ['scenario', 'measured', 'limit/peer', 'ratio', 'target', 'met?'] as const;

export function tableCells(row: SuiteRow): string[] {
  const e = evaluate(row);
  const ref = row.reference === undefined ? '-' : `${formatQuantity(row.reference)} (${row.reference.label})`;
  return [row.scenario, formatQuantity(row.measured), ref, e.ratio === undefined ? '-' : e.ratio.toFixed(2), formatTarget(row), e.verdict];
}

/** A Markdown table (readable as plain text too): header, separator, one line per row, notes below. */
export function formatTable(rows: readonly SuiteRow[]): string {
  const lines = rows.map(tableCells);
  const all = [[...TABLE_HEADER], ...lines];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...all.map((l) => [...(l[i] ?? '')].length)));
  const pad = (s: string, w: number, right: boolean): string => {
    const fill = ' '.repeat(Math.max(0, w - [...s].length));
    return right ? fill + s : s + fill;
  };
  // Numbers right-aligned (measured, limit, ratio), text left-aligned.
  const rightAligned = new Set([1, 3]);
  const fmt = (cells: readonly string[]): string => `| ${cells.map((c, i) => pad(c, widths[i] ?? 0, rightAligned.has(i))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (rightAligned.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const out = [fmt(TABLE_HEADER), sep, ...lines.map(fmt)];
  const notes = rows.filter((r) => r.note !== undefined && r.note !== '');
  if (notes.length > 0) {
    out.push('');
    for (const r of notes) out.push(`- ${r.scenario}: ${r.note ?? ''}`);
  }
  return out.join('\n');
}
