import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';

/** How the controller reaches brokers; implemented by the peer channel (and a local short-cut for itself). */
export interface ControllerChannel {
  sendToBroker(brokerId: number, type: string, payload: unknown): Promise<unknown>;
}

/**
 * One queue per destination broker with one request in flight, retried until it succeeds or the broker leaves,
 * so each broker sees LeaderAndIsr, UpdateMetadata and StopReplica in the order the controller issued them.
 */
export class BrokerRequestSender {
  readonly #channel: ControllerChannel;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #queues = new Map<number, Promise<void>>();
  readonly #alive = new Set<number>();
  /** Bumped when a broker leaves: requests queued for its previous incarnation are dropped, never delivered to the next. */
  readonly #generation = new Map<number, number>();
  #closed = false;

  constructor(opts: { channel: ControllerChannel; clock: Clock; logger: Logger }) {
    this.#channel = opts.channel;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
  }

  addBroker(id: number): void {
    this.#alive.add(id);
  }

  removeBroker(id: number): void {
    this.#alive.delete(id);
    this.#generation.set(id, (this.#generation.get(id) ?? 0) + 1);
  }

  close(): void {
    this.#closed = true;
    this.#alive.clear();
  }

  /** Queues a request; `onResponse` runs with the broker's answer (not called if the broker leaves first). */
  send(brokerId: number, type: string, payload: unknown, onResponse?: (response: unknown) => void): void {
    const prev = this.#queues.get(brokerId) ?? Promise.resolve();
    const generation = this.#generation.get(brokerId) ?? 0;
    const current = (): boolean => !this.#closed && this.#alive.has(brokerId) && (this.#generation.get(brokerId) ?? 0) === generation;
    const next = prev.then(async () => {
      let backoff = 100;
      while (current()) {
        try {
          const response = await this.#channel.sendToBroker(brokerId, type, payload);
          onResponse?.(response);
          return;
        } catch (err) {
          this.#logger.warn('controller request failed, retrying', { brokerId, type, err: String(err) });
          await new Promise<void>((resolve) => this.#clock.schedule(backoff, resolve));
          backoff = Math.min(backoff * 2, 2000);
        }
      }
    });
    this.#queues.set(brokerId, next);
  }
}
