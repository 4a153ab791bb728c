import { BatchHeader, ScanStop, scanBatches } from './batch-header.js';
import type { BatchInfo } from './batch-header.js';
import { readAt } from './file-io.js';

const CHUNK_BYTES = 1 << 20;

export interface FileScanResult {
  /** File position just after the last valid batch seen. */
  validEnd: number;
  /** Offset after the last valid batch seen (or the `minNextOffset` given when none). */
  nextOffset: number;
  /** True when the scan stopped at a torn or corrupt batch before `end`. */
  damaged: boolean;
}

/**
 * Walk the batches of a log file from `start` to `end` in large reads. `onBatch` gets each valid batch with the
 * chunk holding it (`chunkPos` is its position inside `chunk`; `batch.position` is the file position) and may
 * return true to stop. With `verifyCrc` every batch's CRC-32C is checked. `afterChunk`, when given, is awaited after
 * each chunk's batches (a consumer that writes what it saw, chunk by chunk).
 */
export async function scanFile(
  fd: number,
  start: number,
  end: number,
  verifyCrc: boolean,
  minNextOffset: number,
  onBatch: (batch: BatchInfo, chunk: Buffer, chunkPos: number) => boolean | void,
  afterChunk?: () => Promise<void>,
): Promise<FileScanResult> {
  let pos = start;
  let limit = end;
  let nextOffset = minNextOffset;
  while (pos < limit) {
    const want = Math.min(CHUNK_BYTES, limit - pos);
    const chunk = await readAt(fd, pos, want);
    if (chunk.length < want) limit = pos + chunk.length;
    const base = pos;
    const result = scanBatches(
      chunk,
      { verifyCrc, checkOffsets: true, minNextOffset: nextOffset },
      (batch) => {
        nextOffset = batch.lastOffset + 1;
        const inChunk = batch.position;
        batch.position += base;
        return onBatch(batch, chunk, inChunk);
      },
    );
    pos += result.validBytes;
    await afterChunk?.();
    if (result.stop === ScanStop.END) continue;
    if (result.stop === ScanStop.STOPPED) return { validEnd: pos, nextOffset, damaged: false };
    if (result.stop === ScanStop.CORRUPT) return { validEnd: pos, nextOffset, damaged: true };
    // INCOMPLETE: the batch at `pos` did not fit in this chunk.
    const needed = result.needed > 0 ? result.needed : BatchHeader.SIZE;
    if (pos + needed > limit) return { validEnd: pos, nextOffset, damaged: true };
    if (needed > CHUNK_BYTES) {
      const big = await readAt(fd, pos, needed);
      const bigBase = pos;
      const one = scanBatches(big, { verifyCrc, checkOffsets: true, minNextOffset: nextOffset }, (batch) => {
        nextOffset = batch.lastOffset + 1;
        batch.position += bigBase;
        return onBatch(batch, big, 0);
      });
      if (one.stop !== ScanStop.END && one.stop !== ScanStop.STOPPED) return { validEnd: pos, nextOffset, damaged: true };
      pos += one.validBytes;
      await afterChunk?.();
      if (one.stop === ScanStop.STOPPED) return { validEnd: pos, nextOffset, damaged: false };
    }
  }
  return { validEnd: pos, nextOffset, damaged: pos < end };
}
