import type { WebSocket } from 'ws';
import type { Clock } from '../util/clock.js';

/** Pings that may go unanswered before the connection is considered dead. */
export const MAX_MISSED_PONGS = 2;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 10_000;

/**
 * Pings `ws` every `intervalMs`; when MAX_MISSED_PONGS pings in a row have gone unanswered at the next tick,
 * calls `onDead` (once) and stops. Returns a function that stops the heartbeat.
 */
export function startHeartbeat(ws: WebSocket, clock: Clock, intervalMs: number, onDead: () => void): () => void {
  let unanswered = 0;
  let cancelTimer: (() => void) | undefined;
  const onPong = (): void => {
    unanswered = 0;
  };
  const stop = (): void => {
    cancelTimer?.();
    cancelTimer = undefined;
    ws.off('pong', onPong);
  };
  const tick = (): void => {
    cancelTimer = undefined;
    if (unanswered >= MAX_MISSED_PONGS) {
      stop();
      onDead();
      return;
    }
    unanswered++;
    if (ws.readyState === ws.OPEN) ws.ping();
    cancelTimer = clock.schedule(intervalMs, tick);
  };
  ws.on('pong', onPong);
  cancelTimer = clock.schedule(intervalMs, tick);
  return stop;
}
