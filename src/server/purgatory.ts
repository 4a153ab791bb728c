import type { Clock } from '../util/clock.js';
import { moduleLogger } from '../util/logger.js';
import type { Logger } from '../util/logger.js';

/** Lets the purgatory learn when an operation completes, however that happens; not exported. */
const ATTACH: unique symbol = Symbol('attach');

/**
 * An operation that waits in a Purgatory until it can complete or its delay expires (Kafka's DelayedOperation).
 *
 * - `tryComplete()` checks whether the operation can complete now; if so it calls `forceComplete()` and returns
 *   its result, otherwise returns false.
 * - `onComplete()` runs exactly once, whichever way the operation completes (it sends the response).
 * - `onExpiration()` runs after `onComplete()` when completion was caused by the delay expiring.
 */
export abstract class DelayedOperation {
  readonly delayMs: number;
  #completed = false;
  #onDone: (() => void) | undefined;

  constructor(delayMs: number) {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`invalid delay ${delayMs}`);
    this.delayMs = delayMs;
  }

  abstract tryComplete(): boolean;
  abstract onComplete(): void;
  abstract onExpiration(): void;

  get isCompleted(): boolean {
    return this.#completed;
  }

  /** Complete now unless already completed; true if this call completed it. Also the way to abort a wait. */
  forceComplete(): boolean {
    if (this.#completed) return false;
    this.#completed = true;
    const onDone = this.#onDone;
    this.#onDone = undefined;
    onDone?.();
    this.onComplete();
    return true;
  }

  [ATTACH](onDone: () => void): void {
    this.#onDone = onDone;
  }
}

export interface PurgatoryOptions {
  readonly clock: Clock;
  /** e.g. 'Produce', 'Fetch'; used in logs. */
  readonly name: string;
  readonly logger?: Logger;
}

/**
 * Delayed operations watched under keys (e.g. `topic-partition`), completed when `checkAndComplete(key)` finds
 * them ready or expired by the injected clock. Single-threaded, so there is no re-check after watching.
 */
export class Purgatory<K extends string> {
  readonly name: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #watchers = new Map<K, Set<DelayedOperation>>();
  readonly #pending = new Set<DelayedOperation>();
  #shutdown = false;

  constructor(options: PurgatoryOptions) {
    this.name = options.name;
    this.#clock = options.clock;
    this.#logger = options.logger ?? moduleLogger('purgatory', { purgatory: options.name });
  }

  /**
   * Complete `op` now if it can, else watch it under `keys` until completed or expired.
   * Returns true if it completed during this call. After `shutdown()` the operation is force-completed.
   */
  tryCompleteElseWatch(op: DelayedOperation, keys: readonly K[]): boolean {
    if (op.isCompleted) return true;
    if (this.#shutdown) {
      op.forceComplete();
      return true;
    }
    if (this.#safeTryComplete(op) || op.isCompleted) return true;
    const watchedKeys = [...new Set(keys)];
    this.#pending.add(op);
    for (const key of watchedKeys) {
      let ops = this.#watchers.get(key);
      if (ops === undefined) {
        ops = new Set();
        this.#watchers.set(key, ops);
      }
      ops.add(op);
    }
    const cancelTimer = this.#clock.schedule(op.delayMs, () => {
      if (op.forceComplete()) op.onExpiration();
    });
    op[ATTACH](() => {
      cancelTimer();
      this.#pending.delete(op);
      for (const key of watchedKeys) {
        const ops = this.#watchers.get(key);
        ops?.delete(op);
        if (ops?.size === 0) this.#watchers.delete(key);
      }
    });
    return false;
  }

  /** Try to complete every operation watched under `key`; returns how many completed. */
  checkAndComplete(key: K): number {
    const ops = this.#watchers.get(key);
    if (ops === undefined) return 0;
    let completed = 0;
    for (const op of [...ops]) {
      if (!op.isCompleted && this.#safeTryComplete(op)) completed++;
    }
    return completed;
  }

  /** Operations waiting (each counted once, however many keys it is watched under). */
  size(): number {
    return this.#pending.size;
  }

  /** Keys with at least one waiting operation. */
  watchedKeys(): number {
    return this.#watchers.size;
  }

  /** Force-complete everything still waiting (no expiration callback) and refuse to wait from now on. */
  shutdown(): void {
    this.#shutdown = true;
    for (const op of [...this.#pending]) op.forceComplete();
  }

  #safeTryComplete(op: DelayedOperation): boolean {
    try {
      return op.tryComplete();
    } catch (err) {
      this.#logger.error('delayed operation failed in tryComplete', {
        purgatory: this.name,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      return false;
    }
  }
}
