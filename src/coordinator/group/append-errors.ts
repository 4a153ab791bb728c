import type { ErrorName } from '../../protocol/error-codes.js';

/** The log-append errors both mappings share (Kafka's GroupMetadataManager). */
function commonAppendError(error: ErrorName): ErrorName | null {
  switch (error) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'NOT_ENOUGH_REPLICAS':
    case 'NOT_ENOUGH_REPLICAS_AFTER_APPEND':
      return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER':
    case 'KAFKA_STORAGE_ERROR':
      return 'NOT_COORDINATOR';
    default:
      return null;
  }
}

function isTooLarge(error: ErrorName): boolean {
  return error === 'MESSAGE_TOO_LARGE' || error === 'RECORD_LIST_TOO_LARGE' || error === 'INVALID_FETCH_SIZE';
}

/** Kafka's storeGroup mapping of a failed group-record append to the error members see. */
export function storeGroupError(error: ErrorName): ErrorName {
  if (error === 'REQUEST_TIMED_OUT') return 'REBALANCE_IN_PROGRESS';
  if (isTooLarge(error)) return 'UNKNOWN_SERVER_ERROR';
  return commonAppendError(error) ?? error;
}

/** Kafka's storeOffsets mapping of a failed offset-commit append. */
export function storeOffsetsError(error: ErrorName): ErrorName {
  if (isTooLarge(error)) return 'INVALID_COMMIT_OFFSET_SIZE';
  return commonAppendError(error) ?? error;
}
