import { IndexFile, SparseIndex } from './index-file.js';

const ENTRY_SIZE = 12;

const timestampAt = (buf: Buffer, pos: number): number => Number(buf.readBigInt64BE(pos));

/**
 * Kafka's sparse time index (`.timeindex`): entries of 8-byte timestamp and 4-byte relative offset, meaning "the
 * largest timestamp up to that offset". Timestamps strictly increase from entry to entry.
 */
export class TimeIndex extends SparseIndex {
  private constructor(baseOffset: number, file: IndexFile) {
    super(baseOffset, file);
  }

  static async create(path: string, baseOffset: number): Promise<TimeIndex> {
    return new TimeIndex(baseOffset, await IndexFile.create(path, ENTRY_SIZE));
  }

  /** Load and sanity-check (timestamps increasing, offsets non-decreasing and below `offsetLimit`); null when bad. */
  static async load(path: string, baseOffset: number, offsetLimit: number): Promise<TimeIndex | null> {
    const file = await IndexFile.load(path, ENTRY_SIZE);
    if (file === null) return null;
    const buf = file.buffer;
    let prevTs = -Infinity;
    let prevOffset = -1;
    for (let i = 0; i < file.entries; i++) {
      const ts = timestampAt(buf, i * ENTRY_SIZE);
      const rel = buf.readUInt32BE(i * ENTRY_SIZE + 8);
      if (ts <= prevTs || rel < prevOffset || baseOffset + rel >= offsetLimit) {
        await file.close();
        return null;
      }
      prevTs = ts;
      prevOffset = rel;
    }
    return new TimeIndex(baseOffset, file);
  }

  lastEntry(): { timestamp: number; offset: number } | null {
    const n = this.file.entries;
    if (n === 0) return null;
    const pos = (n - 1) * ENTRY_SIZE;
    const buf = this.file.buffer;
    return { timestamp: timestampAt(buf, pos), offset: this.baseOffset + buf.readUInt32BE(pos + 8) };
  }

  /** Append (timestamp, offset) when it raises the largest timestamp indexed so far (-1, Kafka's NO_TIMESTAMP, when empty). */
  maybeAppend(timestamp: number, offset: number): void {
    if (timestamp <= (this.lastEntry()?.timestamp ?? -1)) return;
    const slot = this.file.appendSlot();
    const buf = this.file.buffer;
    buf.writeBigInt64BE(BigInt(timestamp), slot);
    buf.writeUInt32BE(offset - this.baseOffset, slot + 8);
  }

  /** The entry with the largest timestamp <= `timestamp`, else (-1, baseOffset) as Kafka does. */
  lookup(timestamp: number): { timestamp: number; offset: number } {
    const i = this.file.floorEntry(timestamp, timestampAt);
    if (i < 0) return { timestamp: -1, offset: this.baseOffset };
    const buf = this.file.buffer;
    return { timestamp: timestampAt(buf, i * ENTRY_SIZE), offset: this.baseOffset + buf.readUInt32BE(i * ENTRY_SIZE + 8) };
  }

  /** Remove every entry whose offset is >= `offset` (offsets are non-decreasing, so a suffix). */
  async truncateTo(offset: number): Promise<void> {
    const buf = this.file.buffer;
    let n = this.file.entries;
    while (n > 0 && this.baseOffset + buf.readUInt32BE((n - 1) * ENTRY_SIZE + 8) >= offset) n--;
    await this.file.truncateTo(n);
  }
}
