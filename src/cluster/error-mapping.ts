import { errorCode } from '../protocol/error-codes.js';
import type { ErrorName } from '../protocol/error-codes.js';
import { StreamkeeperError } from '../util/errors.js';

/** Maps a domain error to its Kafka error code; anything unexpected is UNKNOWN_SERVER_ERROR (-1). */
export function errorCodeOf(err: unknown): number {
  if (err instanceof StreamkeeperError) {
    try {
      return errorCode(err.kafkaError as ErrorName);
    } catch {
      return -1;
    }
  }
  return -1;
}
