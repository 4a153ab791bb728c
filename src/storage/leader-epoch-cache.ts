/** One leader epoch and the offset of its first record (Kafka's EpochEntry). */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** OffsetsForLeaderEpoch's "unknown" answer. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

const UNDEFINED: Readonly<EpochEndOffset> = Object.freeze({ epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET });

/**
 * Kafka's LeaderEpochFileCache without the file: (epoch, startOffset) entries, strictly increasing in both. No I/O;
 * every mutator returns true when the entries changed, so the owner knows when to rewrite the checkpoint.
 */
export class LeaderEpochCache {
  #entries: EpochEntry[] = [];

  constructor(entries: readonly EpochEntry[] = []) {
    for (const entry of entries) this.assign(entry.epoch, entry.startOffset);
  }

  /** Latest epoch, or -1 when empty. */
  get latestEpoch(): number {
    return this.#entries[this.#entries.length - 1]?.epoch ?? UNDEFINED_EPOCH;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** A copy of the entries, oldest first. */
  entries(): EpochEntry[] {
    return this.#entries.map((e) => ({ epoch: e.epoch, startOffset: e.startOffset }));
  }

  /**
   * Kafka's isUpdateNeeded: a different epoch than the latest, or the latest epoch starting earlier. False for the
   * steady state (the same epoch, later offsets), so appends can call this per batch for nothing.
   */
  isUpdateNeeded(epoch: number, startOffset: number): boolean {
    const latest = this.#entries[this.#entries.length - 1];
    return latest === undefined || epoch !== latest.epoch || startOffset < latest.startOffset;
  }

  /**
   * Record that `epoch` starts at `startOffset`. Entries that would break monotonicity (epoch >= the new one or
   * startOffset >= the new one) are removed first, as Kafka does. Negative epochs or offsets are ignored (batches
   * written before leader epochs existed carry -1).
   */
  assign(epoch: number, startOffset: number): boolean {
    if (epoch < 0 || startOffset < 0 || !this.isUpdateNeeded(epoch, startOffset)) return false;
    this.#removeFromEnd((e) => e.epoch >= epoch || e.startOffset >= startOffset);
    this.#entries.push({ epoch, startOffset });
    return true;
  }

  /**
   * Recovery's rule: assign only epochs newer than the latest, so rescanned batches extend the cache and never
   * rewrite it.
   */
  extend(epoch: number, startOffset: number): boolean {
    return epoch > this.latestEpoch && this.assign(epoch, startOffset);
  }

  /**
   * Kafka's endOffsetFor: the largest epoch <= `requestedEpoch` and the offset where the next higher epoch starts
   * (the log end offset for the latest epoch). Undefined (-1, -1) for epoch -1, an empty cache or an epoch above the
   * latest. An epoch below the first entry answers with itself and the first entry's start offset.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const latest = this.latestEpoch;
    if (requestedEpoch === UNDEFINED_EPOCH || latest === UNDEFINED_EPOCH || requestedEpoch > latest) return { ...UNDEFINED };
    if (requestedEpoch === latest) return { epoch: latest, endOffset: logEndOffset };
    const higherIndex = this.#entries.findIndex((e) => e.epoch > requestedEpoch);
    const higher = this.#entries[higherIndex];
    if (higher === undefined) return { ...UNDEFINED };
    const floor = this.#entries[higherIndex - 1];
    return { epoch: floor?.epoch ?? requestedEpoch, endOffset: higher.startOffset };
  }

  /** Drop every entry starting at or after `endOffset` (the log was truncated there). */
  truncateFromEnd(endOffset: number): boolean {
    if (endOffset < 0) return false;
    return this.#removeFromEnd((e) => e.startOffset >= endOffset) > 0;
  }

  /**
   * Drop the entries wholly below `startOffset` (the log start offset moved up) and start the first remaining epoch
   * at `startOffset` if it started lower.
   */
  truncateFromStart(startOffset: number): boolean {
    let lastBelow = -1;
    while (lastBelow + 1 < this.#entries.length && (this.#entries[lastBelow + 1]?.startOffset ?? Infinity) <= startOffset) lastBelow++;
    const kept = this.#entries[lastBelow];
    if (kept === undefined || (lastBelow === 0 && kept.startOffset === startOffset)) return false;
    this.#entries.splice(0, lastBelow + 1, { epoch: kept.epoch, startOffset });
    return true;
  }

  clear(): boolean {
    const had = this.#entries.length > 0;
    this.#entries = [];
    return had;
  }

  #removeFromEnd(predicate: (entry: EpochEntry) => boolean): number {
    let removed = 0;
    for (let last = this.#entries[this.#entries.length - 1]; last !== undefined && predicate(last); last = this.#entries[this.#entries.length - 1]) {
      this.#entries.pop();
      removed++;
    }
    return removed;
  }
}
