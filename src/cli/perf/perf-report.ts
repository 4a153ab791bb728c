/** The lines the perf tools print, in the shape of Kafka's perf tools (MB is 1024 * 1024 bytes, as there). */
import type { LatencyHistogram } from './latency-histogram.js';
import type { WindowStats } from './perf-stats.js';

const MB = 1024 * 1024;

const perSecond = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
const ms = (x: number, digits: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(digits));

function throughput(records: number, bytes: number, elapsedMs: number): string {
  return `${perSecond(records, elapsedMs).toFixed(1)} records/sec (${(perSecond(bytes, elapsedMs) / MB).toFixed(2)} MB/sec)`;
}

/** "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency." (no latency for acks=0) */
export function producerProgressLine(w: WindowStats, withLatency: boolean): string {
  const latency = withLatency ? `, ${ms(w.avgLatencyMs, 1)} ms avg latency, ${ms(w.maxLatencyMs, 1)} ms max latency` : '';
  return `${w.records} records sent, ${throughput(w.records, w.bytes, w.elapsedMs)}${latency}.`;
}

export interface ProducerSummary {
  readonly records: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** Undefined for acks=0 (no responses). */
  readonly latency: LatencyHistogram | undefined;
}

/** The final line: throughput and latency percentiles (ms). */
export function producerSummaryLine(s: ProducerSummary): string {
  const head = `${s.records} records sent, ${throughput(s.records, s.bytes, s.elapsedMs)}`;
  const h = s.latency;
  if (h === undefined) return `${head}, latency not measured (acks=0).`;
  const q = (x: number): string => ms(h.percentileMs(x), 1);
  return (
    `${head}, ${ms(h.meanMs, 2)} ms avg latency, ${ms(h.maxMs, 2)} ms max latency, ` +
    `${q(0.5)} ms 50th, ${q(0.95)} ms 95th, ${q(0.99)} ms 99th, ${q(0.999)} ms 99.9th.`
  );
}

/** "NAME=count, ..." by count, then name; empty when there were none. */
export function errorsText(errors: ReadonlyMap<string, number>): string {
  return [...errors]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([name, count]) => `${name}=${count}`)
    .join(', ');
}

/** "N records consumed, X records/sec (Y MB/sec)." */
export function consumerProgressLine(w: WindowStats): string {
  return `${w.records} records consumed, ${throughput(w.records, w.bytes, w.elapsedMs)}.`;
}

export interface ConsumerSummary {
  readonly records: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly firstRecordMs: number | undefined;
  readonly partitions: number;
}

/** The final line: records, MB, throughput and the time to the first record. */
export function consumerSummaryLine(s: ConsumerSummary): string {
  const first = s.firstRecordMs === undefined ? 'no record' : `${s.firstRecordMs.toFixed(0)} ms to first record`;
  return (
    `${s.records} records consumed, ${(s.bytes / MB).toFixed(2)} MB, ${throughput(s.records, s.bytes, s.elapsedMs)}, ` +
    `${first}, ${(s.elapsedMs / 1000).toFixed(2)} s from ${s.partitions} partitions.`
  );
}
