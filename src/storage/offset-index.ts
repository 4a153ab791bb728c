import { IndexFile, SparseIndex } from './index-file.js';

const ENTRY_SIZE = 8;

const relativeOffsetAt = (buf: Buffer, pos: number): number => buf.readUInt32BE(pos);

/**
 * Kafka's sparse offset index (`.index`): entries of 4-byte offset relative to the segment's base offset and
 * 4-byte file position of the batch whose last offset that is.
 */
export class OffsetIndex extends SparseIndex {
  private constructor(baseOffset: number, file: IndexFile) {
    super(baseOffset, file);
  }

  static async create(path: string, baseOffset: number): Promise<OffsetIndex> {
    return new OffsetIndex(baseOffset, await IndexFile.create(path, ENTRY_SIZE));
  }

  /**
   * Load and sanity-check: relative offsets and positions strictly increasing, positions inside the log file,
   * offsets below `offsetLimit`. Null when missing or inconsistent (the caller rebuilds it).
   */
  static async load(path: string, baseOffset: number, logSize: number, offsetLimit: number): Promise<OffsetIndex | null> {
    const file = await IndexFile.load(path, ENTRY_SIZE);
    if (file === null) return null;
    const buf = file.buffer;
    let prevOffset = -1;
    let prevPosition = -1;
    for (let i = 0; i < file.entries; i++) {
      const rel = buf.readUInt32BE(i * ENTRY_SIZE);
      const position = buf.readUInt32BE(i * ENTRY_SIZE + 4);
      if (rel <= prevOffset || position <= prevPosition || position >= logSize || baseOffset + rel >= offsetLimit) {
        await file.close();
        return null;
      }
      prevOffset = rel;
      prevPosition = position;
    }
    return new OffsetIndex(baseOffset, file);
  }

  get path(): string {
    return this.file.path;
  }

  /** Last entry, or null when empty. */
  lastEntry(): { offset: number; position: number } | null {
    const n = this.file.entries;
    if (n === 0) return null;
    const buf = this.file.buffer;
    return { offset: this.baseOffset + buf.readUInt32BE((n - 1) * ENTRY_SIZE), position: buf.readUInt32BE((n - 1) * ENTRY_SIZE + 4) };
  }

  append(offset: number, position: number): void {
    const slot = this.file.appendSlot();
    const buf = this.file.buffer;
    buf.writeUInt32BE(offset - this.baseOffset, slot);
    buf.writeUInt32BE(position, slot + 4);
  }

  /** File position to start scanning from for `offset`: the entry with the largest offset <= it, else 0. */
  lookup(offset: number): number {
    const i = this.file.floorEntry(offset - this.baseOffset, relativeOffsetAt);
    return i < 0 ? 0 : this.file.buffer.readUInt32BE(i * ENTRY_SIZE + 4);
  }

  /** Remove every entry whose offset is >= `offset`. */
  async truncateTo(offset: number): Promise<void> {
    const i = this.file.floorEntry(offset - this.baseOffset - 1, relativeOffsetAt);
    await this.file.truncateTo(i + 1);
  }
}
