import type { Logger } from '../../util/logger.js';

/** The controller's single event queue: events run one at a time, in order; a failing event is logged, not fatal. */
export class ControllerEventQueue {
  readonly #logger: Logger;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #closed = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get pending(): number {
    return this.#pending;
  }

  put(name: string, fn: () => Promise<void>): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#pending++;
    const run = async (): Promise<void> => {
      try {
        if (!this.#closed) await fn();
      } catch (err) {
        this.#logger.error('controller event failed', { event: name, err: err instanceof Error ? err.stack ?? err.message : String(err) });
      } finally {
        this.#pending--;
      }
    };
    this.#tail = this.#tail.then(run);
    return this.#tail;
  }

  /** Resolves when everything queued so far has run. */
  idle(): Promise<void> {
    return this.#tail;
  }

  close(): void {
    this.#closed = true;
  }
}
