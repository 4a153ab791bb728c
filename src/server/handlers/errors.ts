import { errorCode } from '../../protocol/error-codes.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../../cluster/error-mapping.js';
import { StreamkeeperError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';

export const NONE = 0;

export function code(name: ErrorName): number {
  return errorCode(name);
}

/**
 * The Kafka error code and message for a failure. Domain errors carry their Kafka name; anything else is
 * UNKNOWN_SERVER_ERROR and is logged with its stack, because it is a bug.
 */
export function toKafkaError(err: unknown, logger: Logger, context: Record<string, unknown> = {}): { errorCode: number; errorMessage: string } {
  if (err instanceof StreamkeeperError) return { errorCode: errorCodeOf(err), errorMessage: err.message };
  logger.error('unexpected error while handling a request', { ...context, err: err instanceof Error ? err.stack ?? err.message : String(err) });
  return { errorCode: -1, errorMessage: 'Unexpected server error' };
}
