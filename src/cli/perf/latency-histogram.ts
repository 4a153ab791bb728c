/**
 * Latency histogram for the perf tools: log-linear buckets (exact up to 63 µs, then 64 sub-buckets per power of
 * two, so a reported percentile is within 1/128 ≈ 0.8 % of the true value), weighted samples (one request's
 * latency counted once for each record it carried), constant memory whatever the run length.
 */

/** Bucket resolution: values are kept in microseconds. */
const UNITS_PER_MS = 1000;
const SUB_BUCKET_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Largest value kept exactly, in µs: about 2^40 µs = 12.7 days; longer latencies land in the last bucket. */
const MAX_EXPONENT = 40;

/** Index of the bucket holding `units` (a non-negative integer number of µs). */
export function bucketIndex(units: number): number {
  if (units < SUB_BUCKETS) return units;
  const exponent = Math.min(MAX_EXPONENT, Math.floor(Math.log2(units)));
  const shift = exponent - SUB_BUCKET_BITS;
  const sub = Math.min(SUB_BUCKETS - 1, Math.floor(units / 2 ** shift) - SUB_BUCKETS);
  return SUB_BUCKETS + (exponent - SUB_BUCKET_BITS) * SUB_BUCKETS + sub;
}

/** The smallest and largest µs value of bucket `index` (inverse of bucketIndex). */
export function bucketRange(index: number): { low: number; high: number } {
  if (index < SUB_BUCKETS) return { low: index, high: index };
  const rest = index - SUB_BUCKETS;
  const shift = Math.floor(rest / SUB_BUCKETS);
  const sub = rest % SUB_BUCKETS;
  const low = (SUB_BUCKETS + sub) * 2 ** shift;
  return { low, high: low + 2 ** shift - 1 };
}

const BUCKETS = bucketIndex(2 ** MAX_EXPONENT) + SUB_BUCKETS;

export class LatencyHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sumMs = 0;
  #maxMs = 0;

  /** Records `latencyMs` for `weight` samples (e.g. the records of one acknowledged batch). */
  record(latencyMs: number, weight = 1): void {
    if (!(weight > 0)) return;
    const ms = Math.max(0, latencyMs);
    const i = bucketIndex(Math.round(ms * UNITS_PER_MS));
    this.#counts[i] = (this.#counts[i] ?? 0) + weight;
    this.#count += weight;
    this.#sumMs += ms * weight;
    if (ms > this.#maxMs) this.#maxMs = ms;
  }

  get count(): number {
    return this.#count;
  }

  /** Mean in ms; NaN when empty. */
  get meanMs(): number {
    return this.#count === 0 ? NaN : this.#sumMs / this.#count;
  }

  /** Exact maximum in ms; NaN when empty. */
  get maxMs(): number {
    return this.#count === 0 ? NaN : this.#maxMs;
  }

  /**
   * The latency (ms) at quantile `q` (0 < q <= 1): the value below or at which a fraction q of the samples lie,
   * reported as the middle of its bucket and never above the exact maximum; NaN when empty.
   */
  percentileMs(q: number): number {
    if (this.#count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.#count));
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) {
        const { low, high } = bucketRange(i);
        return Math.min(this.#maxMs, (low + high) / 2 / UNITS_PER_MS);
      }
    }
    return this.#maxMs;
  }
}
