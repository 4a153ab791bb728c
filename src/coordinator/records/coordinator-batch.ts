import { ProtocolError } from '../../protocol/errors.js';
import { buildRecordBatch, readBatchRecords, scanBatches } from '../../protocol/record-batch.js';
import type { BatchInfo } from '../../protocol/record-batch.js';
import type { RecordView } from '../../protocol/record-section.js';
import type { CoordinatorRecord, RawCoordinatorRecord } from './coordinator-record.js';
import { encodeCoordinatorRecord } from './coordinator-record-codec.js';
import { CoordinatorRecordError } from './coordinator-record-error.js';

/**
 * One uncompressed magic-2 batch (CreateTime `timestamp`, no producer id) holding `records` in order, with base
 * offset 0: the log assigns the real offsets on append.
 */
export function buildCoordinatorBatch(records: readonly CoordinatorRecord[], timestamp: number): Buffer {
  if (records.length === 0) throw new RangeError('a coordinator batch needs at least one record');
  return buildRecordBatch({ records: records.map(encodeCoordinatorRecord), baseOffset: 0, baseTimestamp: timestamp });
}

export interface CoordinatorBatches {
  /** The keyed records of the non-control batches, in order, undecoded (views into the buffer). */
  records: RawCoordinatorRecord[];
  /** The offset after the last batch (its last offset + 1); null for an empty buffer. */
  nextOffset: number | null;
}

/**
 * One pass over a buffer of concatenated batches read from `__consumer_offsets`. Control batches and records without
 * a key are skipped; gzip batches are inflated. A corrupt batch or another codec throws CoordinatorRecordError;
 * records are decoded by the caller (decodeCoordinatorRecord), so one bad record need not fail the others.
 */
export function readCoordinatorBatches(batches: Buffer): CoordinatorBatches {
  const records: RawCoordinatorRecord[] = [];
  let nextOffset: number | null = null;
  for (const info of wrapped(() => scanBatches(batches))) {
    nextOffset = info.lastOffset + 1;
    if (info.isControl) continue;
    for (const { key, value } of recordsOf(batches, info)) {
      if (key !== null) records.push({ key, value });
    }
  }
  return { records, nextOffset };
}

function recordsOf(buf: Buffer, info: BatchInfo): RecordView[] {
  const parsed = wrapped(() => readBatchRecords(buf, info.position), info);
  if (parsed === null) {
    throw new CoordinatorRecordError(
      `batch at offset ${info.baseOffset} is compressed with codec ${info.compression}; only gzip is read`,
    );
  }
  return parsed.records;
}

/** Runs `read`, turning batch-level failures (ProtocolError, zlib errors) into a CoordinatorRecordError. */
function wrapped<T>(read: () => T, info?: BatchInfo): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CoordinatorRecordError) throw error;
    const where = info === undefined ? '' : ` (batch at offset ${info.baseOffset})`;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ProtocolError || isZlibError(error)) {
      throw new CoordinatorRecordError(`unreadable __consumer_offsets batch${where}: ${message}`, { cause: error });
    }
    throw error;
  }
}

function isZlibError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' &&
    ((error as NodeJS.ErrnoException).code ?? '').startsWith('Z_');
}
