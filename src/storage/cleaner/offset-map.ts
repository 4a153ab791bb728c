/** Bytes charged per entry on top of the key (a rough cost of a Map entry and its string). */
const ENTRY_OVERHEAD_BYTES = 64;

/**
 * Kafka's OffsetMap: the last offset of each key in the dirty section. Keys are kept exactly (as latin1 strings,
 * one char per byte), so unlike Kafka's hashed SkimpyOffsetMap two keys never collide. `maxBytes` (Kafka's
 * log.cleaner.dedupe.buffer.size) bounds it; once full, the cleaner stops building at a batch boundary and
 * `latestOffset` says how far the map covers.
 */
export class OffsetMap {
  readonly #offsets = new Map<string, number>();
  readonly #maxBytes: number;
  #bytes = 0;
  #latestOffset: number;

  /** `latestOffset` starts just below the first dirty offset: everything before it counts as covered. */
  constructor(maxBytes: number, latestOffset: number) {
    this.#maxBytes = maxBytes;
    this.#latestOffset = latestOffset;
  }

  put(key: Buffer, offset: number): void {
    const k = key.toString('latin1');
    if (!this.#offsets.has(k)) this.#bytes += key.length + ENTRY_OVERHEAD_BYTES;
    this.#offsets.set(k, offset);
  }

  /** The last offset seen for `key`, -1 when none (Kafka's convention). */
  get(key: Buffer): number {
    return this.#offsets.get(key.toString('latin1')) ?? -1;
  }

  get size(): number {
    return this.#offsets.size;
  }

  get isFull(): boolean {
    return this.#bytes >= this.#maxBytes;
  }

  /** The last offset the map has seen all records up to; records after it are always kept. */
  get latestOffset(): number {
    return this.#latestOffset;
  }

  updateLatestOffset(offset: number): void {
    this.#latestOffset = Math.max(this.#latestOffset, offset);
  }
}
