import fs from 'node:fs';
import { OPEN_READ_WRITE_CREATE, closeFile, fsyncFile, ftruncateFile, isNotFound, openFile, writevAt } from './file-io.js';

/**
 * An exact-length file of fixed-size big-endian entries (no preallocation), mirrored in memory. New entries are
 * buffered in memory and written by `writePending()`, so the file is always a whole number of entries that a
 * reader can read directly.
 */
export class IndexFile {
  readonly entrySize: number;
  #path: string;
  #buf: Buffer;
  #count: number;
  #written: number;
  #fd: number | undefined;

  private constructor(path: string, entrySize: number, contents: Buffer) {
    this.#path = path;
    this.entrySize = entrySize;
    this.#count = Math.floor(contents.length / entrySize);
    this.#written = this.#count;
    this.#buf = Buffer.alloc(Math.max(64, this.#count) * entrySize);
    contents.copy(this.#buf, 0, 0, this.#count * entrySize);
  }

  /** An index with no entries; the file is created (or emptied) on disk. */
  static async create(path: string, entrySize: number): Promise<IndexFile> {
    await fs.promises.writeFile(path, Buffer.alloc(0));
    return new IndexFile(path, entrySize, Buffer.alloc(0));
  }

  /** Load the file; null when it is missing or not a whole number of entries. */
  static async load(path: string, entrySize: number): Promise<IndexFile | null> {
    let contents: Buffer;
    try {
      contents = await fs.promises.readFile(path);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    if (contents.length % entrySize !== 0) return null;
    return new IndexFile(path, entrySize, contents);
  }

  get path(): string {
    return this.#path;
  }

  get entries(): number {
    return this.#count;
  }

  /** The in-memory entries; entry i starts at i * entrySize. Valid until the next append. */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** Room for one more entry; the caller fills `entrySize` bytes at the returned position. */
  appendSlot(): number {
    if ((this.#count + 1) * this.entrySize > this.#buf.length) {
      const grown = Buffer.alloc(this.#buf.length * 2);
      this.#buf.copy(grown, 0, 0, this.#count * this.entrySize);
      this.#buf = grown;
    }
    return this.#count++ * this.entrySize;
  }

  /** Largest i in [0, entries) with key(i) <= target, or -1. Keys must be non-decreasing. */
  floorEntry(target: number, key: (buf: Buffer, pos: number) => number): number {
    let lo = 0;
    let hi = this.#count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (key(this.#buf, mid * this.entrySize) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  async #openFd(): Promise<number> {
    this.#fd ??= await openFile(this.#path, OPEN_READ_WRITE_CREATE);
    return this.#fd;
  }

  /** Write entries appended since the last call. */
  async writePending(): Promise<void> {
    if (this.#written >= this.#count) return;
    const fd = await this.#openFd();
    const from = this.#written * this.entrySize;
    const to = this.#count * this.entrySize;
    await writevAt(fd, [Buffer.from(this.#buf.subarray(from, to))], from);
    this.#written = Math.max(this.#written, Math.floor(to / this.entrySize));
  }

  /** Keep only the first `n` entries, in memory and on disk. */
  async truncateTo(n: number): Promise<void> {
    if (n >= this.#count) return;
    this.#count = n;
    if (this.#written > n) {
      const fd = await this.#openFd();
      await ftruncateFile(fd, n * this.entrySize);
      this.#written = n;
    }
  }

  async flush(): Promise<void> {
    await this.writePending();
    if (this.#fd !== undefined) await fsyncFile(this.#fd);
  }

  async close(): Promise<void> {
    const fd = this.#fd;
    this.#fd = undefined;
    if (fd !== undefined) await closeFile(fd);
  }

  async renameTo(path: string): Promise<void> {
    await fs.promises.rename(this.#path, path);
    this.#path = path;
  }
}

/** Common part of the offset and time indexes: an IndexFile for a segment's base offset. */
export abstract class SparseIndex {
  readonly baseOffset: number;
  protected readonly file: IndexFile;

  protected constructor(baseOffset: number, file: IndexFile) {
    this.baseOffset = baseOffset;
    this.file = file;
  }

  get entries(): number {
    return this.file.entries;
  }

  /** Write entries added since the last call. */
  writePending(): Promise<void> {
    return this.file.writePending();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  renameTo(path: string): Promise<void> {
    return this.file.renameTo(path);
  }
}
