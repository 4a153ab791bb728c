/**
 * Counters of a perf run: totals for the final line, a window for the periodic progress line, and the errors
 * seen, by Kafka error name.
 */
import { LatencyHistogram } from './latency-histogram.js';

export interface WindowStats {
  readonly records: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** NaN when no latency was recorded in the window. */
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
}

export class PerfStats {
  readonly latency = new LatencyHistogram();
  readonly errors = new Map<string, number>();
  records = 0;
  bytes = 0;
  failedRecords = 0;
  #windowStart: number;
  #windowRecords = 0;
  #windowBytes = 0;
  #windowLatencySum = 0;
  #windowLatencyWeight = 0;
  #windowLatencyMax = NaN;

  constructor(startMs: number) {
    this.#windowStart = startMs;
  }

  /** `records` records of `bytes` bytes completed; `latencyMs` (if known) is counted once per record. */
  complete(records: number, bytes: number, latencyMs?: number): void {
    this.records += records;
    this.bytes += bytes;
    this.#windowRecords += records;
    this.#windowBytes += bytes;
    if (latencyMs === undefined) return;
    this.latency.record(latencyMs, records);
    this.#windowLatencySum += latencyMs * records;
    this.#windowLatencyWeight += records;
    if (!(this.#windowLatencyMax >= latencyMs)) this.#windowLatencyMax = latencyMs;
  }

  error(name: string): void {
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  /** The window since the last call (or the start), and a new window from `nowMs`. */
  takeWindow(nowMs: number): WindowStats {
    const w: WindowStats = {
      records: this.#windowRecords,
      bytes: this.#windowBytes,
      elapsedMs: nowMs - this.#windowStart,
      avgLatencyMs: this.#windowLatencyWeight === 0 ? NaN : this.#windowLatencySum / this.#windowLatencyWeight,
      maxLatencyMs: this.#windowLatencyMax,
    };
    this.#windowStart = nowMs;
    this.#windowRecords = 0;
    this.#windowBytes = 0;
    this.#windowLatencySum = 0;
    this.#windowLatencyWeight = 0;
    this.#windowLatencyMax = NaN;
    return w;
  }
}
