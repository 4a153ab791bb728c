import { gzipSync } from 'node:zlib';
import { buildRecordBatch, writeCrc } from '../../../src/protocol/record-batch.js';
import type { BuildBatchOptions, RecordInput } from '../../../src/protocol/record-batch.js';
import { scanBatches } from '../../../src/storage/batch-header.js';
import { readBatchRecords } from '../../../src/storage/cleaner/record-reader.js';
import type { PartitionLog } from '../../../src/storage/partition-log.js';

/** Test helper for compaction: keyed batches and a full read-back of a log. Not a test file. */

export const leader = { assignOffsets: true, leaderEpoch: 0 } as const;
export const BASE_TS = 1_700_000_000_000;

export interface KV {
  key: string | null;
  value: string | null;
}

export function keyedBatch(records: readonly KV[], extra: Partial<BuildBatchOptions> = {}): Buffer {
  const inputs: RecordInput[] = records.map((r, i) => ({ key: r.key, value: r.value, timestampDelta: i }));
  return buildRecordBatch({ records: inputs, baseTimestamp: BASE_TS, ...extra });
}

/** The same batch with its records section gzipped (attributes codec 1). */
export function gzipped(batch: Buffer): Buffer {
  const records = gzipSync(batch.subarray(61));
  const out = Buffer.concat([batch.subarray(0, 61), records]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt16BE((out.readInt16BE(21) & ~7) | 1, 21);
  writeCrc(out, 0);
  return out;
}

/** The batch marked with another codec (snappy = 2) without changing its bytes: undecodable here. */
export function markedCodec(batch: Buffer, codec: number): Buffer {
  const out = Buffer.from(batch);
  out.writeInt16BE((out.readInt16BE(21) & ~7) | codec, 21);
  writeCrc(out, 0);
  return out;
}

export interface ReadRecord {
  offset: number;
  key: string | null;
  value: string | null;
  timestamp: number;
}

/** Every record from the log start to the log end, via PartitionLog.read (so gaps are crossed as a fetch does). */
export async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const { records } = await log.read(offset, { maxBytes: 1 << 20, minOneBatch: true });
    if (records === null) break;
    let next = offset;
    scanBatches(records, { verifyCrc: true, checkOffsets: true }, (batch) => {
      const parsed = readBatchRecords(records, batch.position);
      const baseTs = Number(records.readBigInt64BE(batch.position + 27));
      for (const r of parsed?.records ?? []) {
        const o = batch.baseOffset + r.offsetDelta;
        if (o >= offset) {
          out.push({ offset: o, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: baseTs + r.timestampDelta });
        }
      }
      next = batch.lastOffset + 1;
    });
    if (next <= offset) throw new Error(`read at ${offset} made no progress`);
    offset = next;
  }
  return out;
}

/** key -> last value in `records` (null for a tombstone). */
export function latestByKey(records: readonly ReadRecord[]): Map<string | null, string | null> {
  const m = new Map<string | null, string | null>();
  for (const r of records) m.set(r.key, r.value);
  return m;
}
