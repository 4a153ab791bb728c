import { StreamkeeperError } from '../util/errors.js';

/**
 * An invalid, unknown or missing configuration. Kafka answers INVALID_CONFIG for it; the CLI exits with status 2.
 * `key` names the offending configuration when there is one.
 */
export class ConfigError extends StreamkeeperError {
  readonly key: string | undefined;
  constructor(key: string | undefined, message: string, options?: { cause?: unknown }) {
    super('INVALID_CONFIG', message, options);
    this.key = key;
  }
}
