import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { ControlledShutdownRequest, ControlledShutdownResponse } from './controller-requests.js';

/**
 * The broker side of Kafka's controlled shutdown: ask the controller to move leadership off this broker, and
 * again after `retryBackoffMs` while it reports partitions still led here or fails, at most `maxRetries` times.
 * Returns true when the controller reported nothing left; false means the broker stops anyway (unclean).
 */
export async function controlledShutdown(opts: {
  request: ControlledShutdownRequest;
  send: (req: ControlledShutdownRequest) => Promise<ControlledShutdownResponse>;
  maxRetries: number;
  retryBackoffMs: number;
  clock: Clock;
  logger: Logger;
}): Promise<boolean> {
  for (let attempt = 1; attempt <= Math.max(1, opts.maxRetries); attempt++) {
    try {
      const r = await opts.send(opts.request);
      if (r.errorCode === 0 && r.remainingPartitions.length === 0) {
        opts.logger.info('controlled shutdown succeeded', { attempt });
        return true;
      }
      opts.logger.warn('controlled shutdown incomplete', { attempt, errorCode: r.errorCode, remaining: r.remainingPartitions.slice(0, 20) });
    } catch (err) {
      opts.logger.warn('controlled shutdown request failed', { attempt, err: String(err) });
    }
    if (attempt < opts.maxRetries) await new Promise<void>((resolve) => opts.clock.schedule(opts.retryBackoffMs, resolve));
  }
  opts.logger.warn('controlled shutdown did not complete; shutting down anyway');
  return false;
}
