import { BATCH, BATCH_HEADER_SIZE, LOG_OVERHEAD } from '../protocol/record-batch.js';
import { crc32c } from '../util/crc32c.js';

/**
 * Minimal private reader of Kafka magic-2 record batch headers, for the log only (no I/O).
 * Layout (big-endian): baseOffset int64 @0, batchLength int32 @8 (bytes after this field),
 * partitionLeaderEpoch int32 @12, magic int8 @16, crc uint32 @17 (CRC-32C of bytes 21..end),
 * attributes int16 @21, lastOffsetDelta int32 @23, baseTimestamp int64 @27, maxTimestamp int64 @35,
 * producerId int64 @43, producerEpoch int16 @51, baseSequence int32 @53, recordCount int32 @57.
 */
/** Header field offsets: the protocol module's table, plus the fixed header size and the log overhead. */
export const BatchHeader = { ...BATCH, SIZE: BATCH_HEADER_SIZE, LOG_OVERHEAD } as const;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_LOG_APPEND_TIME = 0x08;

/** What the log needs to know about one batch. Positions are relative to the scanned buffer. */
export interface BatchInfo {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The header's partitionLeaderEpoch (-1 for batches written before leader epochs). */
  partitionLeaderEpoch: number;
}

export const ScanStop = {
  /** Every byte was consumed by whole valid batches. */
  END: 'end',
  /** The buffer ends inside a batch (possibly a header); `needed` says how long that batch is, if known. */
  INCOMPLETE: 'incomplete',
  /** A batch header or CRC is invalid. */
  CORRUPT: 'corrupt',
  /** `onBatch` asked to stop; validBytes includes the batch it saw last. */
  STOPPED: 'stopped',
} as const;
export type ScanStop = (typeof ScanStop)[keyof typeof ScanStop];

export interface ScanResult {
  /** Bytes of whole valid batches from the start of the buffer. */
  validBytes: number;
  stop: ScanStop;
  /** With INCOMPLETE: total size of the batch that did not fit (0 when even the length is missing). */
  needed: number;
}

export function readBaseOffset(buf: Buffer, pos: number): number {
  return Number(buf.readBigInt64BE(pos + BatchHeader.BASE_OFFSET));
}

/** Total size in bytes of the batch at `pos` (batchLength + 12). */
export function readBatchSize(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos + BatchHeader.BATCH_LENGTH) + BatchHeader.LOG_OVERHEAD;
}

export function readLastOffset(buf: Buffer, pos: number): number {
  return readBaseOffset(buf, pos) + buf.readInt32BE(pos + BatchHeader.LAST_OFFSET_DELTA);
}

export function readMaxTimestamp(buf: Buffer, pos: number): number {
  return Number(buf.readBigInt64BE(pos + BatchHeader.MAX_TIMESTAMP));
}

export function isCompressed(buf: Buffer, pos: number): boolean {
  return (buf.readInt16BE(pos + BatchHeader.ATTRIBUTES) & COMPRESSION_MASK) !== 0;
}

export function isLogAppendTime(buf: Buffer, pos: number): boolean {
  return (buf.readInt16BE(pos + BatchHeader.ATTRIBUTES) & TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0;
}

/** Size of the batch at `pos`, or -1 when its header is not a plausible magic-2 header (reads up to SIZE bytes). */
function plausibleSize(buf: Buffer, pos: number): number {
  if (buf.readInt8(pos + BatchHeader.MAGIC) !== 2) return -1;
  const size = readBatchSize(buf, pos);
  if (size < BatchHeader.SIZE) return -1;
  if (buf.readBigInt64BE(pos + BatchHeader.BASE_OFFSET) < 0n) return -1;
  if (buf.readInt32BE(pos + BatchHeader.LAST_OFFSET_DELTA) < 0) return -1;
  return size;
}

export interface ScanOptions {
  /** Check each batch's CRC-32C. */
  verifyCrc: boolean;
  /** Require base offsets >= `minNextOffset` and strictly after the previous batch (true for stored data). */
  checkOffsets: boolean;
  minNextOffset?: number;
}

/**
 * Walk the concatenated batches at the start of `buf` and report the valid prefix. `onBatch` sees every valid batch
 * in order and may return true to stop there. Stops at the first torn or corrupt batch.
 */
export function scanBatches(buf: Buffer, opts: ScanOptions, onBatch?: (batch: BatchInfo) => boolean | void): ScanResult {
  let pos = 0;
  let nextOffset = opts.minNextOffset ?? 0;
  while (pos < buf.length) {
    if (buf.length - pos < BatchHeader.SIZE) {
      const needed = buf.length - pos >= BatchHeader.MAGIC + 1 ? plausibleSize(buf, pos) : 0;
      if (needed < 0) return { validBytes: pos, stop: ScanStop.CORRUPT, needed: 0 };
      return { validBytes: pos, stop: ScanStop.INCOMPLETE, needed };
    }
    const size = plausibleSize(buf, pos);
    if (size < 0) return { validBytes: pos, stop: ScanStop.CORRUPT, needed: 0 };
    if (pos + size > buf.length) return { validBytes: pos, stop: ScanStop.INCOMPLETE, needed: size };
    const baseOffset = readBaseOffset(buf, pos);
    if (opts.checkOffsets && baseOffset < nextOffset) return { validBytes: pos, stop: ScanStop.CORRUPT, needed: 0 };
    if (opts.verifyCrc) {
      const crc = crc32c(buf.subarray(pos + BatchHeader.ATTRIBUTES, pos + size));
      if (crc !== buf.readUInt32BE(pos + BatchHeader.CRC)) return { validBytes: pos, stop: ScanStop.CORRUPT, needed: 0 };
    }
    const lastOffset = baseOffset + buf.readInt32BE(pos + BatchHeader.LAST_OFFSET_DELTA);
    const stop = onBatch?.({
      position: pos,
      size,
      baseOffset,
      lastOffset,
      maxTimestamp: readMaxTimestamp(buf, pos),
      partitionLeaderEpoch: buf.readInt32BE(pos + BatchHeader.PARTITION_LEADER_EPOCH),
    });
    nextOffset = lastOffset + 1;
    pos += size;
    if (stop === true) return { validBytes: pos, stop: ScanStop.STOPPED, needed: 0 };
  }
  return { validBytes: pos, stop: ScanStop.END, needed: 0 };
}

/** Reads a zig-zag varint at `state.pos`; returns null when it runs past `end` or exceeds 64 bits. */
function readVarlong(buf: Buffer, state: { pos: number }, end: number): number | null {
  let value = 0n;
  let shift = 0n;
  for (;;) {
    if (state.pos >= end || shift > 63n) return null;
    const b = buf[state.pos++] ?? 0;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7n;
  }
  return Number((value >> 1n) ^ -(value & 1n));
}

/**
 * The first record in the (uncompressed, CreateTime) batch at `pos` whose timestamp is >= `ts` and whose offset is
 * >= `minOffset`, by walking the records' varint prefixes. Returns null when no record qualifies and `undefined` when
 * the records cannot be walked (compressed, LogAppendTime or malformed): the caller then uses the batch as a whole.
 */
export function findRecordByTimestamp(
  buf: Buffer,
  pos: number,
  ts: number,
  minOffset: number,
): { offset: number; timestamp: number } | null | undefined {
  if (isCompressed(buf, pos) || isLogAppendTime(buf, pos)) return undefined;
  const end = pos + readBatchSize(buf, pos);
  const baseOffset = readBaseOffset(buf, pos);
  const baseTimestamp = Number(buf.readBigInt64BE(pos + BatchHeader.BASE_TIMESTAMP));
  const count = buf.readInt32BE(pos + BatchHeader.RECORD_COUNT);
  const state = { pos: pos + BatchHeader.SIZE };
  for (let i = 0; i < count; i++) {
    const length = readVarlong(buf, state, end);
    if (length === null || length < 0) return undefined;
    const recordEnd = state.pos + length;
    if (recordEnd > end) return undefined;
    state.pos += 1; // record attributes
    const timestampDelta = readVarlong(buf, state, recordEnd);
    const offsetDelta = timestampDelta === null ? null : readVarlong(buf, state, recordEnd);
    if (timestampDelta === null || offsetDelta === null) return undefined;
    const timestamp = baseTimestamp + timestampDelta;
    const offset = baseOffset + offsetDelta;
    if (timestamp >= ts && offset >= minOffset) return { offset, timestamp };
    state.pos = recordEnd;
  }
  return null;
}
