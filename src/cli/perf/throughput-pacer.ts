/**
 * Pacing of the producer perf tool. Records "arrive" at a fixed rate from the start of the run (record n at
 * start + n / rate), as if an application called send() at that rate; the producer puts arrived records into
 * batches the way Kafka's accumulator does: a batch leaves when it is full, or when its first record has waited
 * `lingerMs`. Without a rate every record has arrived at the start, so every batch is full.
 */

/** Guards against a float product landing just below the whole number it should equal. */
const EPSILON = 1e-9;

export class ThroughputPacer {
  readonly #recordsPerSec: number;
  readonly #startMs: number;

  /** `recordsPerSec` <= 0 means unlimited. */
  constructor(recordsPerSec: number, startMs: number) {
    this.#recordsPerSec = recordsPerSec;
    this.#startMs = startMs;
  }

  get unlimited(): boolean {
    return this.#recordsPerSec <= 0;
  }

  /** When record `n` (0-based) arrives. */
  arrivalMs(n: number): number {
    return this.unlimited ? this.#startMs : this.#startMs + (n * 1000) / this.#recordsPerSec;
  }

  /** How many records have arrived by `nowMs` (Infinity without a rate). */
  arrived(nowMs: number): number {
    if (this.unlimited) return Infinity;
    if (nowMs < this.#startMs) return 0;
    return Math.floor(((nowMs - this.#startMs) * this.#recordsPerSec) / 1000 + EPSILON) + 1;
  }
}

export type BatchPlan =
  | { readonly kind: 'send'; readonly records: number }
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'done' };

export interface BatchPlanInput {
  readonly pacer: ThroughputPacer;
  /** Records already put into batches. */
  readonly taken: number;
  readonly total: number;
  /** Records in a full batch. */
  readonly fullBatch: number;
  readonly lingerMs: number;
  readonly nowMs: number;
}

/** What the producer does next: send a batch of so many records, wait until a time, or nothing (all taken). */
export function planBatch({ pacer, taken, total, fullBatch, lingerMs, nowMs }: BatchPlanInput): BatchPlan {
  const remaining = total - taken;
  if (remaining <= 0) return { kind: 'done' };
  const wanted = Math.min(fullBatch, remaining);
  const ready = Math.min(remaining, pacer.arrived(nowMs) - taken);
  const lingerEnds = pacer.arrivalMs(taken) + lingerMs;
  if (ready >= wanted) return { kind: 'send', records: wanted };
  if (ready > 0 && nowMs >= lingerEnds) return { kind: 'send', records: ready };
  return { kind: 'wait', untilMs: Math.min(pacer.arrivalMs(taken + wanted - 1), lingerEnds) };
}
