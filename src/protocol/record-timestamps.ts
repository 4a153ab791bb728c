import { gunzipSync } from 'node:zlib';
import { BATCH, COMPRESSION, TIMESTAMP_TYPE, decodeRecords, readBatchAt, writeCrc } from './record-batch.js';

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
  let batch: Buffer;
  if (info.compression === COMPRESSION.none) batch = buf.subarray(pos, pos + info.size);
  else if (info.compression === COMPRESSION.gzip) {
    const inflated = gunzipSync(buf.subarray(pos + BATCH.RECORDS, pos + info.size));
    batch = Buffer.concat([buf.subarray(pos, pos + BATCH.RECORDS), inflated]);
    batch.writeInt16BE(batch.readInt16BE(BATCH.ATTRIBUTES) & ~0x07, BATCH.ATTRIBUTES);
    batch.writeInt32BE(batch.length - 12, 8); // batchLength now covers the inflated records
    writeCrc(batch, 0);
  } else return { offset: info.baseOffset, timestamp: info.maxTimestamp };
  for (const r of decodeRecords(batch, 0)) {
    const ts = info.baseTimestamp + r.timestampDelta;
    if (ts >= target) return { offset: info.baseOffset + r.offsetDelta, timestamp: ts };
  }
  return null;
}
