import { StreamkeeperError } from '../../util/errors.js';
import { readBatchRecords } from '../../protocol/record-batch.js';
import { isControlBatch } from './record-reader.js';

/** A record without a key sent to a compacted topic (Kafka's InvalidRecordException from LogValidator). */
class NullKeyInCompactedTopicError extends StreamkeeperError {
  constructor(message: string) {
    super('INVALID_RECORD', message);
  }
}

/**
 * Kafka's LogValidator check for compacted topics: every record of the (uncompressed or gzip) batch at `pos` has a
 * key. Control batches and batches of codecs this broker cannot decode (snappy, lz4, zstd) are not checked.
 */
export function checkRecordKeys(buf: Buffer, pos: number): void {
  if (isControlBatch(buf, pos)) return;
  let parsed: ReturnType<typeof readBatchRecords>;
  try {
    parsed = readBatchRecords(buf, pos);
  } catch (err) {
    throw new StreamkeeperError('CORRUPT_MESSAGE', `Record batch could not be decoded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (parsed?.records.some((r) => r.key === null) === true) {
    throw new NullKeyInCompactedTopicError('Compacted topic cannot accept message without key.');
  }
}
