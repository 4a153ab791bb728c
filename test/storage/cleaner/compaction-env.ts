import { buildRecordBatch, readBatchRecords } from '../../../src/protocol/record-batch.js';
import type { BuildBatchOptions, RecordInput } from '../../../src/protocol/record-batch.js';
import { scanBatches } from '../../../src/storage/batch-header.js';
import type { PartitionLog } from '../../../src/storage/partition-log.js';

export { gzipped, markedCodec } from '../../protocol/batch-codecs.js';

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
