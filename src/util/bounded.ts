import type { Clock } from './clock.js';

/**
 * Runs `fn` but stops waiting for it after `timeoutMs`: resolves 'done' when it finished, 'timeout' when it did
 * not (it keeps running in the background); its own failure is rethrown.
 */
export async function runBounded(fn: () => Promise<unknown> | unknown, timeoutMs: number, clock: Clock): Promise<'done' | 'timeout'> {
  let cancel = (): void => {};
  const timedOut = new Promise<'timeout'>((resolve) => {
    cancel = clock.schedule(timeoutMs, () => resolve('timeout'));
  });
  try {
    return await Promise.race([Promise.resolve().then(fn).then(() => 'done' as const), timedOut]);
  } finally {
    cancel();
  }
}
