import { TIMESTAMP_TYPE, readBatchAt, readBatchRecords } from './record-batch.js';

/**
 * The first record of the batch at `pos` whose timestamp is at or after `target`, as Kafka's
 * LogSegment.findOffsetByTimestamp finds it (ListOffsets by timestamp). Used on one batch per lookup, never on the
 * produce or fetch path. Uncompressed and gzip batches are searched record by record; for other codecs (whose
 * decompressors are not bundled) the batch's base offset and max timestamp are returned.
 */
export function firstRecordAtOrAfter(buf: Buffer, pos: number, target: number): { offset: number; timestamp: number } | null {
  const info = readBatchAt(buf, pos);
  if (info.maxTimestamp < target) return null;
  if (info.timestampType === TIMESTAMP_TYPE.LogAppendTime) return { offset: info.baseOffset, timestamp: info.maxTimestamp };
  const parsed = readBatchRecords(buf, pos);
  if (parsed === null) return { offset: info.baseOffset, timestamp: info.maxTimestamp };
  for (const r of parsed.records) {
    const ts = info.baseTimestamp + r.timestampDelta;
    if (ts >= target) return { offset: info.baseOffset + r.offsetDelta, timestamp: ts };
  }
  return null;
}
