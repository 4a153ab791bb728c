import { BatchHeader, readBaseOffset, readBatchSize, readLastOffset } from './batch-header.js';

/** One leader append as written: its batches (offsets assigned) and the offsets they cover. */
interface TailEntry {
  readonly baseOffset: number;
  /** One past the last offset of the entry. */
  readonly nextOffset: number;
  readonly batches: Buffer;
}

export interface TailRead {
  /** Whole batches, or null when none qualifies. */
  readonly records: Buffer | null;
  /** Base offset of the first batch returned, -1 when none. */
  readonly firstBatchOffset: number;
}

/** Bytes all the tail caches of a broker may hold together (the LogManager owns one for its logs). */
export class TailBudget {
  readonly #maxBytes: number;
  #used = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get used(): number {
    return this.#used;
  }

  take(bytes: number): boolean {
    if (this.#used + bytes > this.#maxBytes) return false;
    this.#used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#used -= bytes;
  }
}

/**
 * The batches of a leader's latest appends, kept in memory (the very buffers that were written) until the high
 * watermark passes them, so followers fetching at the log end are served without reading the file back (no read on
 * the thread pool; one append is returned as a view, several are joined into one buffer as a file read would fill
 * one). Only a contiguous run of appends ending at the newest is kept, all in the active segment (the log clears it
 * on roll, truncation, replicated appends and loss of leadership), at most `maxBytes` for this log and within the
 * shared budget. An append that is a small part of a larger buffer (one partition of a many-partition request) is
 * not kept: holding it would hold the whole request. Anything not kept is read from the segments as before.
 */
export class TailCache {
  readonly #maxBytes: number;
  readonly #budget: TailBudget;
  #entries: TailEntry[] = [];
  #bytes = 0;

  constructor(maxBytes: number, budget: TailBudget = new TailBudget(maxBytes)) {
    this.#maxBytes = maxBytes;
    this.#budget = budget;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** First offset served from memory, undefined when empty. */
  get baseOffset(): number | undefined {
    return this.#entries[0]?.baseOffset;
  }

  /** Records an append just written at [baseOffset, nextOffset); an append that does not follow the last starts over. */
  add(baseOffset: number, nextOffset: number, batches: Buffer): void {
    const last = this.#entries[this.#entries.length - 1];
    if (last !== undefined && last.nextOffset !== baseOffset) this.clear();
    const size = batches.length;
    if (size > this.#maxBytes || size * 2 < batches.buffer.byteLength) {
      this.clear();
      return;
    }
    while (this.#entries.length > 0 && this.#bytes + size > this.#maxBytes) this.#dropFirst();
    if (!this.#budget.take(size)) {
      this.clear();
      return;
    }
    this.#entries.push({ baseOffset, nextOffset, batches });
    this.#bytes += size;
  }

  /** Forgets the appends wholly below `offset` (the high watermark: every in-sync follower has them). */
  releaseBelow(offset: number): void {
    while ((this.#entries[0]?.nextOffset ?? Infinity) <= offset) this.#dropFirst();
  }

  clear(): void {
    this.#budget.give(this.#bytes);
    this.#entries = [];
    this.#bytes = 0;
  }

  /**
   * What a segment read would return from `startOffset`: whole batches from the one containing it, none with an
   * offset at or past `maxOffset`, at most `maxBytes` unless `minOneBatch` lets the first through whole. Undefined
   * when `startOffset` is not in memory.
   */
  read(startOffset: number, maxOffset: number, maxBytes: number, minOneBatch: boolean): TailRead | undefined {
    let i = this.#entries.findIndex((e) => startOffset < e.nextOffset);
    const first = this.#entries[i];
    if (first === undefined || first.baseOffset > startOffset) return undefined;
    const parts: Buffer[] = [];
    let bytes = 0;
    let firstBatchOffset = -1;
    for (; i < this.#entries.length; i++) {
      const buf = (this.#entries[i] as TailEntry).batches;
      let from = -1;
      let pos = 0;
      while (pos + BatchHeader.SIZE <= buf.length) {
        const size = readBatchSize(buf, pos);
        if (readLastOffset(buf, pos) >= startOffset) {
          if (readLastOffset(buf, pos) >= maxOffset || (bytes + size > maxBytes && !(bytes === 0 && minOneBatch))) break;
          if (from < 0) from = pos;
          if (firstBatchOffset < 0) firstBatchOffset = readBaseOffset(buf, pos);
          bytes += size;
        }
        pos += size;
      }
      if (from >= 0) parts.push(buf.subarray(from, pos));
      if (pos < buf.length) break;
    }
    if (parts.length === 0) return { records: null, firstBatchOffset: -1 };
    return { records: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, bytes), firstBatchOffset };
  }

  #dropFirst(): void {
    const dropped = this.#entries.shift();
    if (dropped === undefined) return;
    this.#bytes -= dropped.batches.length;
    this.#budget.give(dropped.batches.length);
  }
}
