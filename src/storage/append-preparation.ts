import { StreamkeeperError } from '../util/errors.js';
import { setBaseOffset, setLogAppendTime, setPartitionLeaderEpoch } from '../protocol/record-batch.js';
import { ScanStop, scanBatches } from './batch-header.js';
import type { BatchInfo } from './batch-header.js';
import { checkRecordKeys } from './cleaner/key-validation.js';
import { isCompacted } from './log-config.js';
import type { LogConfig } from './log-config.js';
import { MessageTooLargeError, RecordBatchTooLargeError, UnexpectedAppendOffsetError } from './storage-errors.js';

export interface AppendOptions {
  /** Leader append: give the batches the next offsets. False for replicated batches, whose offsets are kept. */
  assignOffsets: boolean;
  /** Written into each batch's partitionLeaderEpoch when assigning offsets. */
  leaderEpoch: number;
  /** When set (topics with LogAppendTime), becomes every batch's maxTimestamp, with the timestamp-type bit set. */
  logAppendTime?: number;
}

export interface PreparedAppend {
  batches: BatchInfo[];
  firstOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

/**
 * Walk the batches of one append and, for a leader append, rewrite their headers in place: baseOffset and
 * partitionLeaderEpoch (outside the CRC) and, with LogAppendTime, attributes and maxTimestamp (CRC recomputed).
 * Throws when the bytes are not whole batches or the offsets do not fit the log.
 */
export function prepareAppend(buf: Buffer, opts: AppendOptions, nextOffset: number, config: Readonly<LogConfig>): PreparedAppend {
  const batches: BatchInfo[] = [];
  // A leader append was CRC-checked by the produce handler; replicated batches are checked here, as Kafka does.
  const scan = scanBatches(buf, { verifyCrc: !opts.assignOffsets, checkOffsets: !opts.assignOffsets }, (batch) => {
    batches.push(batch);
  });
  const first = batches[0];
  if (scan.stop !== ScanStop.END || first === undefined) {
    throw new StreamkeeperError('CORRUPT_MESSAGE', `Append of ${buf.length} bytes is not a sequence of whole record batches`);
  }
  if (buf.length > config.segmentBytes) {
    throw new RecordBatchTooLargeError(`Message batch size is ${buf.length} bytes which exceeds the maximum configured segment size of ${config.segmentBytes}.`);
  }
  let maxTimestamp = -1;
  if (opts.assignOffsets) {
    // Kafka's LogValidator: a compacted topic only takes keyed records (the only place appends decode records).
    if (isCompacted(config)) for (const batch of batches) checkRecordKeys(buf, batch.position);
    let offset = nextOffset;
    for (const batch of batches) {
      if (batch.size > config.maxMessageBytes) {
        throw new MessageTooLargeError(`The batch size ${batch.size} exceeds max.message.bytes ${config.maxMessageBytes}`);
      }
      const delta = batch.lastOffset - batch.baseOffset;
      setBaseOffset(buf, batch.position, offset);
      setPartitionLeaderEpoch(buf, batch.position, opts.leaderEpoch);
      batch.partitionLeaderEpoch = opts.leaderEpoch;
      if (opts.logAppendTime !== undefined) {
        setLogAppendTime(buf, batch.position, opts.logAppendTime);
        batch.maxTimestamp = opts.logAppendTime;
      }
      batch.baseOffset = offset;
      batch.lastOffset = offset + delta;
      offset = batch.lastOffset + 1;
    }
  } else if (first.baseOffset < nextOffset) {
    throw new UnexpectedAppendOffsetError(
      `Unexpected offset in append to log: first offset ${first.baseOffset} is less than the next offset ${nextOffset}`,
    );
  }
  for (const batch of batches) maxTimestamp = Math.max(maxTimestamp, batch.maxTimestamp);
  const last = batches[batches.length - 1] ?? first;
  return { batches, firstOffset: first.baseOffset, lastOffset: last.lastOffset, maxTimestamp };
}
