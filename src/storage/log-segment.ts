import fs from 'node:fs';
import path from 'node:path';
import {
  BatchHeader,
  findRecordByTimestamp,
  readBaseOffset,
  readBatchSize,
  readLastOffset,
  readMaxTimestamp,
} from './batch-header.js';
import type { BatchInfo } from './batch-header.js';
import { OPEN_READ_WRITE_CREATE, closeFile, fsyncFile, ftruncateFile, openFile, readAt, writevAt } from './file-io.js';
import { OffsetIndex } from './offset-index.js';
import { KafkaStorageError } from './storage-errors.js';
import { scanFile } from './segment-scan.js';
import { TimeIndex } from './time-index.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const DELETED_SUFFIX = '.deleted';
/** Files of a segment written by the log cleaner, not yet part of the log (Kafka's CleanedFileSuffix). */
export const CLEANED_SUFFIX = '.cleaned';
/** Files of a cleaned segment about to replace old ones; a load finds and completes the swap (Kafka's SwapFileSuffix). */
export const SWAP_SUFFIX = '.swap';
const SEGMENT_FILE_SUFFIXES = [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX] as const;

/** Kafka's segment file name stem: the base offset zero-padded to 20 digits. */
export function segmentFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export interface SegmentReadResult {
  records: Buffer | null;
  firstBatchOffset: number;
}

/**
 * One segment: `<base>.log` plus its sparse `.index` and `.timeindex`. The log file descriptor stays open for reads.
 * Mutations (append, truncate, recover) are serialized by the owning PartitionLog; reads may run concurrently and
 * only ever see `size` bytes, which grows after a write has completed.
 */
export class LogSegment {
  readonly baseOffset: number;
  #dir: string;
  #fd: number;
  #size: number;
  #nextOffset: number;
  #offsetIndex: OffsetIndex;
  #timeIndex: TimeIndex;
  #maxTimestampSoFar = -1;
  #offsetOfMaxTimestampSoFar: number;
  #bytesSinceLastIndexEntry = 0;
  #rollingBasedTimestamp: number | undefined;
  #lastModifiedMs: number;
  /** '' for a live segment; CLEANED_SUFFIX or SWAP_SUFFIX while the cleaner's output is being swapped in. */
  #fileSuffix = '';

  private constructor(dir: string, baseOffset: number, fd: number, size: number, offsetIndex: OffsetIndex, timeIndex: TimeIndex, lastModifiedMs: number) {
    this.#dir = dir;
    this.baseOffset = baseOffset;
    this.#fd = fd;
    this.#size = size;
    this.#nextOffset = baseOffset;
    this.#offsetOfMaxTimestampSoFar = baseOffset;
    this.#offsetIndex = offsetIndex;
    this.#timeIndex = timeIndex;
    this.#lastModifiedMs = lastModifiedMs;
  }

  static filePath(dir: string, baseOffset: number, suffix: string): string {
    return path.join(dir, segmentFileStem(baseOffset) + suffix);
  }

  /** A new empty segment (existing files of the same name are emptied); `fileSuffix` names the cleaner's files. */
  static async create(dir: string, baseOffset: number, now: number, fileSuffix = ''): Promise<LogSegment> {
    const fd = await openFile(LogSegment.filePath(dir, baseOffset, LOG_SUFFIX) + fileSuffix, 'w+');
    const offsetIndex = await OffsetIndex.create(LogSegment.filePath(dir, baseOffset, INDEX_SUFFIX) + fileSuffix, baseOffset);
    const timeIndex = await TimeIndex.create(LogSegment.filePath(dir, baseOffset, TIME_INDEX_SUFFIX) + fileSuffix, baseOffset);
    const segment = new LogSegment(dir, baseOffset, fd, 0, offsetIndex, timeIndex, now);
    segment.#fileSuffix = fileSuffix;
    return segment;
  }

  #path(kind: string): string {
    return LogSegment.filePath(this.#dir, this.baseOffset, kind) + this.#fileSuffix;
  }

  /**
   * Open an existing segment. With `recover`, or when an index is missing or fails its sanity check, the segment is
   * rescanned with CRC checks, truncated at the first torn or corrupt batch and its indexes rebuilt. `offsetLimit` is
   * the next segment's base offset (or Infinity); `onBatch` sees every valid batch of such a rescan. Returns the
   * number of bytes truncated.
   */
  static async open(
    dir: string,
    baseOffset: number,
    opts: { recover: boolean; offsetLimit: number; indexIntervalBytes: number; onBatch?: ((batch: BatchInfo) => void) | undefined },
  ): Promise<{ segment: LogSegment; truncatedBytes: number; rebuilt: boolean }> {
    const logPath = LogSegment.filePath(dir, baseOffset, LOG_SUFFIX);
    const fd = await openFile(logPath, OPEN_READ_WRITE_CREATE);
    const stat = await fs.promises.stat(logPath);
    const indexPath = LogSegment.filePath(dir, baseOffset, INDEX_SUFFIX);
    const timeIndexPath = LogSegment.filePath(dir, baseOffset, TIME_INDEX_SUFFIX);
    const offsetIndex = opts.recover ? null : await OffsetIndex.load(indexPath, baseOffset, stat.size, opts.offsetLimit);
    const timeIndex = opts.recover ? null : await TimeIndex.load(timeIndexPath, baseOffset, opts.offsetLimit);
    if (offsetIndex !== null && timeIndex !== null) {
      const segment = new LogSegment(dir, baseOffset, fd, stat.size, offsetIndex, timeIndex, stat.mtimeMs);
      const intact = await segment.#rescanTail(opts.indexIntervalBytes);
      await segment.#loadRollingBasedTimestamp();
      if (intact) return { segment, truncatedBytes: 0, rebuilt: false };
      return { segment, truncatedBytes: await segment.recover(opts.indexIntervalBytes, opts.onBatch), rebuilt: true };
    }
    await offsetIndex?.close();
    await timeIndex?.close();
    const segment = new LogSegment(
      dir,
      baseOffset,
      fd,
      stat.size,
      await OffsetIndex.create(indexPath, baseOffset),
      await TimeIndex.create(timeIndexPath, baseOffset),
      stat.mtimeMs,
    );
    const truncatedBytes = await segment.recover(opts.indexIntervalBytes, opts.onBatch);
    await segment.#loadRollingBasedTimestamp();
    return { segment, truncatedBytes, rebuilt: true };
  }

  /** Bytes of whole batches visible to readers. */
  get size(): number {
    return this.#size;
  }

  /** Offset after the last batch (the base offset when empty). */
  get nextOffset(): number {
    return this.#nextOffset;
  }

  /** Kafka's largestTimestamp: the largest batch timestamp, or the last modification time when there is none. */
  get largestTimestamp(): number {
    return this.#maxTimestampSoFar >= 0 ? this.#maxTimestampSoFar : this.#lastModifiedMs;
  }

  /** Last modification time (Kafka's lastModified): kept across cleaning so retention by time is not reset. */
  get lastModified(): number {
    return this.#lastModifiedMs;
  }

  /** Set the log file's modification time (the cleaner gives its output the replaced segments' time). */
  async setLastModified(ms: number): Promise<void> {
    const seconds = ms / 1000;
    await fs.promises.utimes(this.#path(LOG_SUFFIX), seconds, seconds);
    this.#lastModifiedMs = ms;
  }

  /** Bytes the offset index and the time index take (the cleaner keeps merged segments under segment.index.bytes). */
  get indexSizes(): { offsetIndexBytes: number; timeIndexBytes: number } {
    return { offsetIndexBytes: this.#offsetIndex.entries * 8, timeIndexBytes: this.#timeIndex.entries * 12 };
  }

  /** When the first batch was appended (or its timestamp, after a reload); undefined when empty. */
  get rollingBasedTimestamp(): number | undefined {
    return this.#rollingBasedTimestamp;
  }

  #indexBatch(batch: BatchInfo, indexIntervalBytes: number): void {
    if (batch.maxTimestamp > this.#maxTimestampSoFar) {
      this.#maxTimestampSoFar = batch.maxTimestamp;
      this.#offsetOfMaxTimestampSoFar = batch.lastOffset;
    }
    if (this.#bytesSinceLastIndexEntry > indexIntervalBytes) {
      this.#offsetIndex.append(batch.lastOffset, batch.position);
      this.#timeIndex.maybeAppend(this.#maxTimestampSoFar, this.#offsetOfMaxTimestampSoFar);
      this.#bytesSinceLastIndexEntry = 0;
    }
    this.#bytesSinceLastIndexEntry += batch.size;
    this.#nextOffset = batch.lastOffset + 1;
  }

  /**
   * Append already-prepared batches at the end of the file with one writev. `batches[i].position` is relative to
   * the start of the concatenation of `buffers`. Visible to readers once in the file; the promise resolves after the
   * new index entries are written too.
   */
  async append(buffers: Buffer[], batches: readonly BatchInfo[], totalBytes: number, now: number, indexIntervalBytes: number): Promise<void> {
    const start = this.#size;
    await writevAt(this.#fd, buffers, start);
    // From here to the size update nothing awaits, so readers see the new end offset and bytes together.
    for (const batch of batches) {
      this.#indexBatch({ ...batch, position: start + batch.position }, indexIntervalBytes);
    }
    this.#rollingBasedTimestamp ??= now;
    this.#lastModifiedMs = now;
    this.#size = start + totalBytes;
    await this.#offsetIndex.writePending();
    await this.#timeIndex.writePending();
  }

  /**
   * Whole batches starting with the first one whose last offset is >= `startOffset`, excluding batches with
   * offsets >= `maxOffset`, at most `maxBytes` (the first batch whole when `minOneBatch`). Undefined when this
   * segment has no batch at or after `startOffset`.
   */
  async read(startOffset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean, slackBytes: number): Promise<SegmentReadResult | undefined> {
    const limit = this.#size;
    let pos = this.#offsetIndex.lookup(startOffset);
    for (;;) {
      if (pos + BatchHeader.SIZE > limit) return undefined;
      const chunk = await readAt(this.#fd, pos, Math.min(limit - pos, Math.max(maxBytes, 0) + slackBytes + BatchHeader.SIZE));
      let p = 0;
      while (p + BatchHeader.SIZE <= chunk.length && readLastOffset(chunk, p) < startOffset) {
        const size = readBatchSize(chunk, p);
        if (size < BatchHeader.SIZE) throw new KafkaStorageError(`Invalid batch at position ${pos + p} of segment ${this.baseOffset}`);
        p += size;
      }
      if (p + BatchHeader.SIZE > chunk.length) {
        if (chunk.length < BatchHeader.SIZE) return undefined; // shrunk by a concurrent truncation
        pos += p;
        continue;
      }
      const firstBatchOffset = readBaseOffset(chunk, p);
      let end = p;
      while (end + BatchHeader.SIZE <= chunk.length) {
        const size = readBatchSize(chunk, end);
        if (readLastOffset(chunk, end) >= maxOffset) break;
        const first = end === p;
        if (end + size - p > maxBytes && !(first && minOneBatch)) break;
        if (end + size > chunk.length) {
          if (!first) break;
          const whole = await readAt(this.#fd, pos + p, size);
          return whole.length === size ? { records: whole, firstBatchOffset } : { records: null, firstBatchOffset: -1 };
        }
        end += size;
      }
      return end === p ? { records: null, firstBatchOffset: -1 } : { records: chunk.subarray(p, end), firstBatchOffset };
    }
  }

  /** Kafka's findOffsetByTimestamp: first record at or after `startingOffset` with timestamp >= `timestamp`. */
  async findOffsetByTimestamp(timestamp: number, startingOffset: number): Promise<{ offset: number; timestamp: number } | null> {
    const entry = this.#timeIndex.lookup(timestamp);
    const start = this.#offsetIndex.lookup(Math.max(entry.offset, startingOffset));
    let found: { offset: number; timestamp: number } | null = null;
    await scanFile(this.#fd, start, this.#size, false, 0, (batch, chunk, chunkPos) => {
      if (batch.maxTimestamp < timestamp || batch.lastOffset < startingOffset) return false;
      const record = findRecordByTimestamp(chunk, chunkPos, timestamp, startingOffset);
      if (record === null) return false;
      found = record ?? { offset: Math.max(batch.baseOffset, startingOffset), timestamp: readMaxTimestamp(chunk, chunkPos) };
      return true;
    });
    return found;
  }

  /**
   * Every batch from the one containing `fromOffset` (via the offset index) to the end, with the raw bytes:
   * `onBatch` gets the chunk holding the batch and its position inside (copy what must outlive the call).
   * With `verifyCrc`, a corrupt batch stops the walk with an error. Rejects when the walk stopped early.
   * `afterChunk` is awaited after each read chunk's batches.
   */
  async scanRawBatches(
    fromOffset: number,
    verifyCrc: boolean,
    onBatch: (batch: BatchInfo, chunk: Buffer, chunkPos: number) => void,
    afterChunk?: () => Promise<void>,
  ): Promise<void> {
    const size = this.#size;
    const start = this.#offsetIndex.lookup(fromOffset);
    const result = await scanFile(this.#fd, start, size, verifyCrc, 0, (batch, chunk, chunkPos) => onBatch(batch, chunk, chunkPos), afterChunk);
    if (result.damaged) throw new KafkaStorageError(`Corrupt batch at position ${result.validEnd} of segment ${this.baseOffset} in ${this.#dir}`);
  }

  /** Every batch of the segment in order (headers only are meaningful; no CRC checks). */
  async forEachBatch(onBatch: (batch: BatchInfo) => void): Promise<void> {
    await scanFile(this.#fd, 0, this.#size, false, this.baseOffset, (batch) => {
      onBatch(batch);
    });
  }

  /** Recompute the in-memory state from the last offset-index entry to the end; false when that tail is damaged. */
  async #rescanTail(indexIntervalBytes: number): Promise<boolean> {
    const lastEntry = this.#offsetIndex.lastEntry();
    const lastTime = this.#timeIndex.lastEntry();
    this.#maxTimestampSoFar = lastTime?.timestamp ?? -1;
    this.#offsetOfMaxTimestampSoFar = lastTime?.offset ?? this.baseOffset;
    this.#bytesSinceLastIndexEntry = 0;
    this.#nextOffset = lastEntry === null ? this.baseOffset : lastEntry.offset;
    const result = await scanFile(this.#fd, lastEntry?.position ?? 0, this.#size, false, this.baseOffset, (batch) => {
      this.#indexBatch(batch, indexIntervalBytes);
    });
    if (result.damaged) return false;
    if (lastEntry !== null && this.#nextOffset <= lastEntry.offset) return false;
    if ((lastTime?.offset ?? this.baseOffset) >= Math.max(this.#nextOffset, this.baseOffset + 1)) return false;
    await this.#offsetIndex.writePending();
    await this.#timeIndex.writePending();
    return true;
  }

  async #loadRollingBasedTimestamp(): Promise<void> {
    if (this.#size < BatchHeader.SIZE) {
      this.#rollingBasedTimestamp = undefined;
      return;
    }
    const header = await readAt(this.#fd, 0, BatchHeader.SIZE);
    this.#rollingBasedTimestamp = readMaxTimestamp(header, 0);
  }

  async #resetIndexes(): Promise<void> {
    await this.#offsetIndex.truncateTo(this.baseOffset);
    await this.#timeIndex.truncateTo(this.baseOffset);
  }

  /**
   * Rescan the whole file with CRC checks, rebuild both indexes and truncate at the first torn or corrupt batch.
   * Returns the number of bytes removed. `onBatch` sees every valid batch.
   */
  async recover(indexIntervalBytes: number, onBatch?: (batch: BatchInfo) => void): Promise<number> {
    await this.#resetIndexes();
    const stat = await fs.promises.stat(this.#path(LOG_SUFFIX));
    this.#size = stat.size;
    this.#maxTimestampSoFar = -1;
    this.#offsetOfMaxTimestampSoFar = this.baseOffset;
    this.#bytesSinceLastIndexEntry = 0;
    this.#nextOffset = this.baseOffset;
    const result = await scanFile(this.#fd, 0, stat.size, true, this.baseOffset, (batch) => {
      this.#indexBatch(batch, indexIntervalBytes);
      onBatch?.(batch);
    });
    const truncated = stat.size - result.validEnd;
    if (truncated > 0) await ftruncateFile(this.#fd, result.validEnd);
    this.#size = result.validEnd;
    await this.#offsetIndex.writePending();
    await this.#timeIndex.writePending();
    return truncated;
  }

  /** Remove every batch from the one containing `offset` onward. Returns the bytes removed. */
  async truncateTo(offset: number, indexIntervalBytes: number): Promise<number> {
    let cut = -1;
    await scanFile(this.#fd, this.#offsetIndex.lookup(offset), this.#size, false, 0, (batch) => {
      if (batch.lastOffset < offset) return false;
      cut = batch.position;
      return true;
    });
    if (cut < 0) return 0;
    const removed = this.#size - cut;
    this.#size = cut;
    await this.#offsetIndex.truncateTo(offset);
    await this.#timeIndex.truncateTo(offset);
    await ftruncateFile(this.#fd, cut);
    await this.#rescanTail(indexIntervalBytes);
    if (cut === 0) this.#rollingBasedTimestamp = undefined;
    return removed;
  }

  /** On roll and close: index the final largest timestamp (Kafka's onBecomeInactiveSegment). */
  appendFinalTimeIndexEntry(): void {
    this.#timeIndex.maybeAppend(this.#maxTimestampSoFar, this.#offsetOfMaxTimestampSoFar);
  }

  async flush(): Promise<void> {
    await fsyncFile(this.#fd);
    await this.#offsetIndex.flush();
    await this.#timeIndex.flush();
  }

  /** Close the index files' descriptors (after the segment stops being active); the log stays open for reads. */
  async closeIndexes(): Promise<void> {
    await this.#offsetIndex.close();
    await this.#timeIndex.close();
  }

  async close(): Promise<void> {
    await this.closeIndexes();
    await closeFile(this.#fd);
  }

  /** Rename the three files from the current suffix to `fileSuffix` (Kafka's changeFileSuffixes). */
  async changeFileSuffix(fileSuffix: string): Promise<void> {
    const logPath = this.#path(LOG_SUFFIX);
    const newPath = (kind: string): string => LogSegment.filePath(this.#dir, this.baseOffset, kind) + fileSuffix;
    await fs.promises.rename(logPath, newPath(LOG_SUFFIX));
    await this.#offsetIndex.renameTo(newPath(INDEX_SUFFIX));
    await this.#timeIndex.renameTo(newPath(TIME_INDEX_SUFFIX));
    this.#fileSuffix = fileSuffix;
  }

  /** Kafka's asynchronous delete, step 1: rename every file to `<name>.deleted`. */
  renameToDeleted(): Promise<void> {
    return this.changeFileSuffix(this.#fileSuffix + DELETED_SUFFIX);
  }

  /** Step 2 (or at once, for cleaner output that is discarded): close and unlink the files. */
  async deleteRenamedFiles(): Promise<void> {
    await this.close();
    for (const kind of SEGMENT_FILE_SUFFIXES) await fs.promises.rm(this.#path(kind), { force: true });
  }
}
