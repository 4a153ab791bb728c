import { gzipSync } from 'node:zlib';
import { COMPRESSION, readBatchRecords, writeCrc } from '../../protocol/record-batch.js';
import type { RecordView } from '../../protocol/record-section.js';
import { BatchHeader, readBaseOffset, readBatchSize } from '../batch-header.js';
import type { OffsetMap } from './offset-map.js';
import { BatchAttribute, batchAttributes, batchCompression, deleteHorizonOf, encodeVarlong, isControlBatch } from './record-reader.js';

export interface FilterContext {
  map: OffsetMap;
  /** The cleaning pass's time: tombstones whose batch horizon is at or before it go. */
  now: number;
  /** delete.retention.ms: the horizon given to batches whose tombstones are cleaned for the first time. */
  deleteRetentionMs: number;
}

export const BatchFate = {
  /** Written unchanged. */
  KEPT: 'kept',
  /** Written with fewer records or a new delete horizon. */
  REWRITTEN: 'rewritten',
  /** No record survived: the batch is dropped. */
  DROPPED: 'dropped',
  /** Snappy, lz4 or zstd: kept whole because its records cannot be read here. */
  UNDECODABLE: 'undecodable',
} as const;
export type BatchFate = (typeof BatchFate)[keyof typeof BatchFate];

export interface FilterResult {
  fate: BatchFate;
  /** The batch to write; null when dropped. */
  output: Buffer | null;
  recordsRemoved: number;
  /** The delete horizon of the tombstones this batch still holds, undefined when it holds none. */
  tombstoneHorizon: number | undefined;
}

/**
 * Kafka's Cleaner.shouldRetainRecord: records past the map's end stay; otherwise a keyed record stays when it is
 * the latest for its key and either has a value or is a tombstone whose batch horizon has not passed. Records
 * without a key are invalid in a compacted log and go.
 */
function shouldRetain(record: RecordView, baseOffset: number, horizon: number | undefined, ctx: FilterContext): boolean {
  const offset = baseOffset + record.offsetDelta;
  if (offset > ctx.map.latestOffset) return true;
  if (record.key === null) return false;
  if (offset < ctx.map.get(record.key)) return false;
  return record.value !== null || horizon === undefined || ctx.now < horizon;
}

/**
 * Kafka's MemoryRecords.filterTo for one batch (bytes at `pos` of `buf`). Control batches and batches this broker
 * cannot decompress are kept as they are. A batch that loses records, or whose surviving tombstones get their
 * first delete horizon (attribute bit 6, baseTimestamp = now + delete.retention.ms, Kafka 3.x), is rebuilt.
 */
export function filterBatch(buf: Buffer, pos: number, ctx: FilterContext): FilterResult {
  const size = readBatchSize(buf, pos);
  // A view, not a copy: the segment scan reads every chunk into a fresh buffer and never reuses it.
  const original = (): Buffer => buf.subarray(pos, pos + size);
  if (isControlBatch(buf, pos)) return { fate: BatchFate.KEPT, output: original(), recordsRemoved: 0, tombstoneHorizon: undefined };
  const parsed = readBatchRecords(buf, pos);
  if (parsed === null) return { fate: BatchFate.UNDECODABLE, output: original(), recordsRemoved: 0, tombstoneHorizon: undefined };
  const baseOffset = readBaseOffset(buf, pos);
  const horizon = deleteHorizonOf(buf, pos);
  const retained = parsed.records.filter((r) => shouldRetain(r, baseOffset, horizon, ctx));
  const removed = parsed.records.length - retained.length;
  if (retained.length === 0) return { fate: BatchFate.DROPPED, output: null, recordsRemoved: removed, tombstoneHorizon: undefined };
  const hasTombstones = retained.some((r) => r.value === null);
  const newHorizon = hasTombstones && horizon === undefined ? ctx.now + ctx.deleteRetentionMs : horizon;
  const tombstoneHorizon = hasTombstones ? newHorizon : undefined;
  if (removed === 0 && newHorizon === horizon) return { fate: BatchFate.KEPT, output: original(), recordsRemoved: 0, tombstoneHorizon };
  const output = rebuildBatch(buf, pos, parsed.section, retained, newHorizon);
  return { fate: BatchFate.REWRITTEN, output, recordsRemoved: removed, tombstoneHorizon };
}

/**
 * A new batch holding `retained` records of the batch at `pos`. As Kafka does, it keeps the base offset and the
 * last offset delta (so the batch's last offset, which producer state depends on, is preserved; the record count
 * shrinks), the partition leader epoch, producer id/epoch/base sequence, timestamp type and codec. With a delete
 * horizon the base timestamp becomes the horizon and each record's timestamp delta is re-encoded so record
 * timestamps do not change; maxTimestamp is recomputed for CreateTime. The CRC is computed afresh.
 */
function rebuildBatch(buf: Buffer, pos: number, section: Buffer, retained: readonly RecordView[], deleteHorizon: number | undefined): Buffer {
  const baseTimestamp = Number(buf.readBigInt64BE(pos + BatchHeader.BASE_TIMESTAMP));
  const newBase = deleteHorizon ?? baseTimestamp;
  const parts: Buffer[] = [];
  let maxTimestamp = -1;
  for (const record of retained) {
    const timestamp = baseTimestamp + record.timestampDelta;
    maxTimestamp = Math.max(maxTimestamp, timestamp);
    if (newBase === baseTimestamp) {
      parts.push(section.subarray(record.start, record.end));
      continue;
    }
    const body = Buffer.concat([Buffer.from([record.attributes]), encodeVarlong(timestamp - newBase), section.subarray(record.restStart, record.end)]);
    parts.push(encodeVarlong(body.length), body);
  }
  const plain = Buffer.concat(parts);
  const records = batchCompression(buf, pos) === COMPRESSION.gzip ? gzipSync(plain) : plain;
  const out = Buffer.alloc(BatchHeader.SIZE + records.length);
  buf.copy(out, 0, pos, pos + BatchHeader.SIZE);
  records.copy(out, BatchHeader.SIZE);
  out.writeInt32BE(out.length - BatchHeader.LOG_OVERHEAD, BatchHeader.BATCH_LENGTH);
  let attributes = batchAttributes(buf, pos);
  if (deleteHorizon !== undefined) attributes |= BatchAttribute.DELETE_HORIZON;
  out.writeInt16BE(attributes, BatchHeader.ATTRIBUTES);
  out.writeBigInt64BE(BigInt(newBase), BatchHeader.BASE_TIMESTAMP);
  if ((attributes & BatchAttribute.TIMESTAMP_TYPE) === 0) out.writeBigInt64BE(BigInt(maxTimestamp), BatchHeader.MAX_TIMESTAMP);
  out.writeInt32BE(retained.length, BatchHeader.RECORD_COUNT);
  writeCrc(out, 0);
  return out;
}
