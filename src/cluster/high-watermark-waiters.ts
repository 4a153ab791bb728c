import type { Clock } from '../util/clock.js';

interface Waiter {
  check: () => boolean;
  resolve: (reached: boolean) => void;
  cancelTimer: () => void;
}

/**
 * Parks operations until something about a partition changes (a delayed-operation purgatory keyed by partition):
 * acks=all produce waits for the high watermark, long-poll fetch for new data. `notify(key)` re-checks the waiters
 * of that key; each waiter resolves exactly once, with false when its timeout passes first.
 */
export class HighWatermarkWaiters {
  readonly #clock: Clock;
  readonly #byKey = new Map<string, Set<Waiter>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  waitFor(key: string, check: () => boolean, timeoutMs: number): Promise<boolean> {
    return this.waitForAny([key], check, timeoutMs);
  }

  /** Waits on several keys at once (a fetch over many partitions). Like waitFor, it checks before it parks. */
  waitForAny(keys: string[], check: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (reached: boolean): void => {
        if (done) return;
        done = true;
        waiter.cancelTimer();
        for (const k of keys) {
          const set = this.#byKey.get(k);
          set?.delete(waiter);
          if (set?.size === 0) this.#byKey.delete(k);
        }
        signal?.removeEventListener('abort', onAbort);
        resolve(reached);
      };
      const onAbort = (): void => finish(false);
      const waiter: Waiter = { check, resolve: finish, cancelTimer: () => {} };
      waiter.cancelTimer = this.#clock.schedule(Math.max(0, timeoutMs), () => finish(false));
      for (const k of keys) {
        let set = this.#byKey.get(k);
        if (set === undefined) {
          set = new Set();
          this.#byKey.set(k, set);
        }
        set.add(waiter);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  notify(key: string): void {
    const set = this.#byKey.get(key);
    if (set === undefined) return;
    for (const w of [...set]) {
      let ok = false;
      try {
        ok = w.check();
      } catch {
        ok = true;
      }
      if (ok) w.resolve(true);
    }
  }

  size(): number {
    let n = 0;
    for (const s of this.#byKey.values()) n += s.size;
    return n;
  }
}
