import { StreamkeeperError } from '../../util/errors.js';

/**
 * A `__consumer_offsets` key or value that cannot be decoded (unknown version, truncated or garbled bytes), or a
 * batch of that topic that cannot be read (corrupt, or compressed with a codec the coordinator does not inflate).
 */
export class CoordinatorRecordError extends StreamkeeperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CORRUPT_MESSAGE', message, options);
  }
}
