import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from '../util/crc32c.js';
import { ProtocolError } from './errors.js';
import { parseRecordSection, recordHeaders } from './record-section.js';
import type { RecordHeaderView, RecordView } from './record-section.js';
import { Writer } from './writer.js';

/** Byte offsets of the magic-2 record batch header fields (protocol.md section 3). */
export const BATCH = {
  BASE_OFFSET: 0,
  BATCH_LENGTH: 8,
  PARTITION_LEADER_EPOCH: 12,
  MAGIC: 16,
  CRC: 17,
  ATTRIBUTES: 21,
  LAST_OFFSET_DELTA: 23,
  BASE_TIMESTAMP: 27,
  MAX_TIMESTAMP: 35,
  PRODUCER_ID: 43,
  PRODUCER_EPOCH: 51,
  BASE_SEQUENCE: 53,
  RECORD_COUNT: 57,
  RECORDS: 61,
} as const;
/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD = 12;
export const BATCH_HEADER_SIZE = 61;
/** Smallest legal batchLength (a header with no records). */
export const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - LOG_OVERHEAD;

export const COMPRESSION = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export const TIMESTAMP_TYPE = { CreateTime: 0, LogAppendTime: 1 } as const;
const ATTR_COMPRESSION_MASK = 0x07;
const ATTR_TIMESTAMP_TYPE = 0x08;
const ATTR_TRANSACTIONAL = 0x10;
const ATTR_CONTROL = 0x20;

export interface BatchInfo {
  /** Offset of the batch in the scanned buffer. */
  position: number;
  /** Total bytes of the batch (batchLength + 12). */
  size: number;
  baseOffset: number;
  lastOffsetDelta: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
  recordCount: number;
  attributes: number;
  compression: number;
  timestampType: number;
  isTransactional: boolean;
  isControl: boolean;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  partitionLeaderEpoch: number;
}

export interface ScanResult {
  batches: BatchInfo[];
  /** Bytes from the start of the buffer covered by valid, complete batches. */
  validBytes: number;
  /** Why scanning stopped before the end, if it did. */
  error?: ProtocolError;
}

/** Validate the batch at `pos` (size, magic, CRC-32C, record count within the offset span) and read its header. */
export function readBatchAt(buf: Buffer, pos: number): BatchInfo {
  const left = buf.length - pos;
  if (left < LOG_OVERHEAD) {
    throw new ProtocolError('CORRUPT_MESSAGE', `truncated batch header at ${pos}: ${left} bytes`);
  }
  const batchLength = buf.readInt32BE(pos + BATCH.BATCH_LENGTH);
  if (batchLength < MIN_BATCH_LENGTH) {
    throw new ProtocolError('CORRUPT_MESSAGE', `batch length ${batchLength} at ${pos} below ${MIN_BATCH_LENGTH}`);
  }
  const size = batchLength + LOG_OVERHEAD;
  if (size > left) {
    throw new ProtocolError('CORRUPT_MESSAGE', `truncated batch at ${pos}: needs ${size} bytes, has ${left}`);
  }
  const magic = buf.readInt8(pos + BATCH.MAGIC);
  if (magic !== 2) throw new ProtocolError('INVALID_RECORD', `batch at ${pos} has magic ${magic}, expected 2`);
  const stored = buf.readUInt32BE(pos + BATCH.CRC);
  const actual = crc32c(buf.subarray(pos + BATCH.ATTRIBUTES, pos + size));
  if (stored !== actual) {
    throw new ProtocolError('CORRUPT_MESSAGE', `batch at ${pos} CRC mismatch: stored ${stored}, computed ${actual}`);
  }
  const lastOffsetDelta = buf.readInt32BE(pos + BATCH.LAST_OFFSET_DELTA);
  const recordCount = buf.readInt32BE(pos + BATCH.RECORD_COUNT);
  // Compaction leaves batches with fewer records than their offset span (and even empty ones), so only a count
  // above the span is corrupt here; Produce demands the exact count from clients.
  if (recordCount < 0 || lastOffsetDelta < 0 || recordCount > lastOffsetDelta + 1) {
    throw new ProtocolError(
      'INVALID_RECORD',
      `batch at ${pos}: record count ${recordCount} inconsistent with last offset delta ${lastOffsetDelta}`,
    );
  }
  const attributes = buf.readInt16BE(pos + BATCH.ATTRIBUTES);
  const baseOffset = Number(buf.readBigInt64BE(pos + BATCH.BASE_OFFSET));
  return {
    position: pos,
    size,
    baseOffset,
    lastOffsetDelta,
    lastOffset: baseOffset + lastOffsetDelta,
    recordCount,
    attributes,
    compression: attributes & ATTR_COMPRESSION_MASK,
    timestampType: (attributes & ATTR_TIMESTAMP_TYPE) !== 0 ? 1 : 0,
    isTransactional: (attributes & ATTR_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTR_CONTROL) !== 0,
    baseTimestamp: Number(buf.readBigInt64BE(pos + BATCH.BASE_TIMESTAMP)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + BATCH.MAX_TIMESTAMP)),
    producerId: Number(buf.readBigInt64BE(pos + BATCH.PRODUCER_ID)),
    producerEpoch: buf.readInt16BE(pos + BATCH.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH.BASE_SEQUENCE),
    partitionLeaderEpoch: buf.readInt32BE(pos + BATCH.PARTITION_LEADER_EPOCH),
  };
}

/** Walk the valid prefix of concatenated batches; stops at the first truncated or corrupt batch. */
export function scanValidPrefix(buf: Buffer): ScanResult {
  const batches: BatchInfo[] = [];
  let pos = 0;
  while (pos < buf.length) {
    try {
      const info = readBatchAt(buf, pos);
      batches.push(info);
      pos += info.size;
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      return { batches, validBytes: pos, error };
    }
  }
  return { batches, validBytes: pos };
}

/** Validate one or more concatenated batches without decoding records; throws ProtocolError. */
export function scanBatches(buf: Buffer): BatchInfo[] {
  const result = scanValidPrefix(buf);
  if (result.error !== undefined) throw result.error;
  return result.batches;
}

/** Recompute and store the CRC of the batch at `pos`. */
export function writeCrc(buf: Buffer, pos: number): void {
  const size = buf.readInt32BE(pos + BATCH.BATCH_LENGTH) + LOG_OVERHEAD;
  buf.writeUInt32BE(crc32c(buf.subarray(pos + BATCH.ATTRIBUTES, pos + size)), pos + BATCH.CRC);
}

/** Set baseOffset (outside the CRC). */
export function setBaseOffset(buf: Buffer, pos: number, offset: number): void {
  buf.writeBigInt64BE(BigInt(offset), pos + BATCH.BASE_OFFSET);
}

/** Set partitionLeaderEpoch (outside the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + BATCH.PARTITION_LEADER_EPOCH);
}

/** Mark the batch LogAppendTime with maxTimestamp = `timestamp` and recompute the CRC. */
export function setLogAppendTime(buf: Buffer, pos: number, timestamp: number): void {
  const attrAt = pos + BATCH.ATTRIBUTES;
  buf.writeInt16BE(buf.readInt16BE(attrAt) | ATTR_TIMESTAMP_TYPE, attrAt);
  buf.writeBigInt64BE(BigInt(timestamp), pos + BATCH.MAX_TIMESTAMP);
  writeCrc(buf, pos);
}

export type RecordBytes = Uint8Array | string | null;

export interface RecordHeader {
  key: string;
  value: RecordBytes;
}

export interface RecordInput {
  key?: RecordBytes;
  value: RecordBytes;
  headers?: readonly RecordHeader[];
  /** Defaults to 0. */
  timestampDelta?: number;
}

export interface BuildBatchOptions {
  records: readonly RecordInput[];
  baseOffset?: number;
  baseTimestamp: number;
  /** Defaults to baseTimestamp + the largest timestampDelta. */
  maxTimestamp?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  timestampType?: number;
  /** Defaults to 'none'; 'gzip' compresses the records section (see gzipBatch). */
  compression?: 'none' | 'gzip';
}

const toBytes = (b: RecordBytes): Buffer | null =>
  b === null ? null : typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b.buffer, b.byteOffset, b.length);

function writeVarBytes(w: Writer, b: Buffer | null): void {
  if (b === null) w.varint(-1);
  else w.varint(b.length).raw(b);
}

/** Encode a magic-2 batch, uncompressed or gzip-compressed (tests, benchmarks and the perf tools). */
export function buildRecordBatch(opts: BuildBatchOptions): Buffer {
  if (opts.records.length === 0) throw new RangeError('a record batch needs at least one record');
  const body = new Writer(1024);
  let maxDelta = 0;
  opts.records.forEach((rec, i) => {
    const delta = rec.timestampDelta ?? 0;
    maxDelta = Math.max(maxDelta, delta);
    const r = new Writer(64);
    r.int8(0).varlong(delta).varint(i);
    writeVarBytes(r, toBytes(rec.key ?? null));
    writeVarBytes(r, toBytes(rec.value));
    const headers = rec.headers ?? [];
    r.varint(headers.length);
    for (const h of headers) {
      writeVarBytes(r, Buffer.from(h.key, 'utf8'));
      writeVarBytes(r, toBytes(h.value));
    }
    body.varint(r.length);
    for (const c of r.chunks()) body.raw(c);
  });
  const recordsBytes = body.toBuffer();
  let attributes = 0;
  if (opts.timestampType === TIMESTAMP_TYPE.LogAppendTime) attributes |= ATTR_TIMESTAMP_TYPE;
  if (opts.isTransactional === true) attributes |= ATTR_TRANSACTIONAL;
  if (opts.isControl === true) attributes |= ATTR_CONTROL;
  const buf = Buffer.alloc(BATCH_HEADER_SIZE + recordsBytes.length);
  buf.writeBigInt64BE(BigInt(opts.baseOffset ?? 0), BATCH.BASE_OFFSET);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, BATCH.BATCH_LENGTH);
  buf.writeInt32BE(opts.partitionLeaderEpoch ?? -1, BATCH.PARTITION_LEADER_EPOCH);
  buf.writeInt8(2, BATCH.MAGIC);
  buf.writeInt16BE(attributes, BATCH.ATTRIBUTES);
  buf.writeInt32BE(opts.records.length - 1, BATCH.LAST_OFFSET_DELTA);
  buf.writeBigInt64BE(BigInt(opts.baseTimestamp), BATCH.BASE_TIMESTAMP);
  buf.writeBigInt64BE(BigInt(opts.maxTimestamp ?? opts.baseTimestamp + maxDelta), BATCH.MAX_TIMESTAMP);
  buf.writeBigInt64BE(BigInt(opts.producerId ?? -1), BATCH.PRODUCER_ID);
  buf.writeInt16BE(opts.producerEpoch ?? -1, BATCH.PRODUCER_EPOCH);
  buf.writeInt32BE(opts.baseSequence ?? -1, BATCH.BASE_SEQUENCE);
  buf.writeInt32BE(opts.records.length, BATCH.RECORD_COUNT);
  recordsBytes.copy(buf, BATCH.RECORDS);
  writeCrc(buf, 0);
  return opts.compression === 'gzip' ? gzipBatch(buf) : buf;
}

/**
 * A copy of the uncompressed batch `batch` (at offset 0) with its records section gzipped: batchLength fixed, the
 * attributes' codec set to gzip, the CRC recomputed.
 */
export function gzipBatch(batch: Buffer): Buffer {
  const out = Buffer.concat([batch.subarray(0, BATCH.RECORDS), gzipSync(batch.subarray(BATCH.RECORDS))]);
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH.BATCH_LENGTH);
  out.writeInt16BE((out.readInt16BE(BATCH.ATTRIBUTES) & ~ATTR_COMPRESSION_MASK) | COMPRESSION.gzip, BATCH.ATTRIBUTES);
  writeCrc(out, 0);
  return out;
}

/**
 * The records section of the batch at `pos` (the bytes after its 61-byte header): a view for an uncompressed batch,
 * inflated for gzip (node:zlib's synchronous inflate, pure computation); null for snappy, lz4 and zstd, which this
 * broker has no codec for. The header is not validated here (see readBatchAt); zlib errors propagate.
 */
export function batchRecordsSection(buf: Buffer, pos: number): Buffer | null {
  const compression = buf.readInt16BE(pos + BATCH.ATTRIBUTES) & ATTR_COMPRESSION_MASK;
  if (compression !== COMPRESSION.none && compression !== COMPRESSION.gzip) return null;
  const raw = buf.subarray(pos + BATCH.RECORDS, pos + buf.readInt32BE(pos + BATCH.BATCH_LENGTH) + LOG_OVERHEAD);
  return compression === COMPRESSION.gzip ? gunzipSync(raw) : raw;
}

/**
 * The records of the batch at `pos` with the section they point into, or null when its codec cannot be decoded
 * here. Throws a CORRUPT_MESSAGE ProtocolError for malformed records.
 */
export function readBatchRecords(buf: Buffer, pos: number): { section: Buffer; records: RecordView[] } | null {
  const section = batchRecordsSection(buf, pos);
  if (section === null) return null;
  return { section, records: parseRecordSection(section, buf.readInt32BE(pos + BATCH.RECORD_COUNT)) };
}

export interface DecodedRecord {
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaderView[];
}

/** Decode the records of an uncompressed batch at `pos` (validated first; zero-copy key/value views). */
export function decodeRecords(buf: Buffer, pos = 0): DecodedRecord[] {
  const info = readBatchAt(buf, pos);
  if (info.compression !== COMPRESSION.none) {
    throw new ProtocolError('CORRUPT_MESSAGE', `compressed batch (codec ${info.compression}) not decodable here`);
  }
  const section = buf.subarray(pos + BATCH.RECORDS, pos + info.size);
  return parseRecordSection(section, info.recordCount).map((r) => ({
    attributes: r.attributes,
    timestampDelta: r.timestampDelta,
    offsetDelta: r.offsetDelta,
    key: r.key,
    value: r.value,
    headers: recordHeaders(section, r),
  }));
}
