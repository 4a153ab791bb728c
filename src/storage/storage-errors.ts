import { StreamkeeperError } from '../util/errors.js';

/** A fetch or delete-records offset outside [logStartOffset, logEndOffset]. */
export class OffsetOutOfRangeError extends StreamkeeperError {
  constructor(message: string) {
    super('OFFSET_OUT_OF_RANGE', message);
  }
}

/** An I/O failure on one partition's files (disk full, EIO, ...); the partition goes offline, the broker stays up. */
export class KafkaStorageError extends StreamkeeperError {
  constructor(message: string, cause?: unknown) {
    super('KAFKA_STORAGE_ERROR', message, { cause });
  }
}

/** A replicated append whose offsets do not follow the log end offset (Kafka's UnexpectedAppendOffsetException). */
export class UnexpectedAppendOffsetError extends StreamkeeperError {
  constructor(message: string) {
    super('UNKNOWN_SERVER_ERROR', message);
  }
}

/**
 * A leader append stamped with an older leader epoch than the log already records (it was accepted just before
 * the partition moved to a new epoch and reached the writer after it). Written, it would end the newer epoch.
 */
export class StaleLeaderEpochAppendError extends StreamkeeperError {
  constructor(message: string) {
    super('NOT_LEADER_OR_FOLLOWER', message);
  }
}

/** One append larger than a segment (Kafka's RecordBatchTooLargeException). */
export class RecordBatchTooLargeError extends StreamkeeperError {
  constructor(message: string) {
    super('RECORD_LIST_TOO_LARGE', message);
  }
}

/** A batch larger than max.message.bytes (Kafka's RecordTooLargeException). */
export class MessageTooLargeError extends StreamkeeperError {
  constructor(message: string) {
    super('MESSAGE_TOO_LARGE', message);
  }
}

/** meta.properties belongs to another cluster. */
export class InconsistentClusterIdError extends StreamkeeperError {
  constructor(message: string) {
    super('INCONSISTENT_CLUSTER_ID', message);
  }
}

/** meta.properties belongs to another broker. */
export class InconsistentBrokerIdError extends StreamkeeperError {
  constructor(message: string) {
    super('UNKNOWN_SERVER_ERROR', message);
  }
}

/** Wrap anything thrown by fs as a KafkaStorageError (errors that already are StreamkeeperErrors pass through). */
export function asStorageError(err: unknown, what: string): StreamkeeperError {
  if (err instanceof StreamkeeperError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new KafkaStorageError(`${what}: ${detail}`, err);
}
