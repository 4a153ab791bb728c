import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { AlterIsrPartitionResult, AlterIsrRequest, AlterIsrResponse } from './controller-requests.js';
import { partitionKey } from './controller-requests.js';

export interface AlterIsrItem {
  topic: string;
  partition: number;
  leaderEpoch: number;
  newIsr: number[];
  currentIsrVersion: number;
}

/** How a partition leader proposes an ISR change. `onResult` gets null when the proposal could not be delivered. */
export interface AlterIsrSink {
  submit(item: AlterIsrItem, onResult: (result: AlterIsrPartitionResult | null) => void): void;
}

interface Pending {
  item: AlterIsrItem;
  onResult: (result: AlterIsrPartitionResult | null) => void;
}

const RETRY_BACKOFF_MS = 100;
const MAX_ATTEMPTS = 50;

/**
 * Kafka's AlterIsrManager: collects the ISR proposals of this broker's leaders, sends them to the active controller
 * in one request at a time, and hands each partition its answer. A request that cannot be delivered (no controller
 * yet, controller moved, connection lost) is retried with the same proposals; a partition that proposes again
 * replaces its earlier proposal.
 */
export class AlterIsrManager implements AlterIsrSink {
  readonly #brokerId: number;
  readonly #brokerEpoch: () => number;
  readonly #send: (req: AlterIsrRequest) => Promise<AlterIsrResponse>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #pending = new Map<string, Pending>();
  #inFlight = false;
  #attempts = 0;
  #closed = false;

  constructor(opts: {
    brokerId: number;
    brokerEpoch: () => number;
    send: (req: AlterIsrRequest) => Promise<AlterIsrResponse>;
    clock: Clock;
    logger: Logger;
  }) {
    this.#brokerId = opts.brokerId;
    this.#brokerEpoch = opts.brokerEpoch;
    this.#send = opts.send;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
  }

  submit(item: AlterIsrItem, onResult: (result: AlterIsrPartitionResult | null) => void): void {
    if (this.#closed) {
      onResult(null);
      return;
    }
    const key = partitionKey(item.topic, item.partition);
    this.#pending.get(key)?.onResult(null);
    this.#pending.set(key, { item, onResult });
    if (!this.#inFlight) {
      this.#inFlight = true;
      queueMicrotask(() => void this.#sendPending());
    }
  }

  close(): void {
    this.#closed = true;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.onResult(null);
  }

  async #sendPending(): Promise<void> {
    while (!this.#closed && this.#pending.size > 0) {
      const batch = this.#pending;
      this.#pending = new Map();
      const req: AlterIsrRequest = { brokerId: this.#brokerId, brokerEpoch: this.#brokerEpoch(), partitions: [...batch.values()].map((p) => p.item) };
      let response: AlterIsrResponse | null = null;
      try {
        response = await this.#send(req);
      } catch (err) {
        this.#logger.warn('AlterIsr could not be delivered; retrying', { err: String(err), partitions: req.partitions.length });
      }
      if (response !== null && response.errorCode === 0) {
        this.#attempts = 0;
        const byKey = new Map(response.partitions.map((r) => [partitionKey(r.topic, r.partition), r]));
        for (const [key, p] of batch) p.onResult(byKey.get(key) ?? null);
        continue;
      }
      if (response !== null) this.#logger.warn('AlterIsr rejected; retrying', { errorCode: response.errorCode });
      // Not delivered or rejected as a whole (NOT_CONTROLLER, STALE_BROKER_EPOCH): retry later unless superseded.
      for (const [key, p] of batch) {
        if (this.#pending.has(key)) p.onResult(null);
        else this.#pending.set(key, p);
      }
      if (++this.#attempts >= MAX_ATTEMPTS) {
        this.#attempts = 0;
        const dropped = [...this.#pending.values()];
        this.#pending.clear();
        for (const p of dropped) p.onResult(null);
        break;
      }
      await new Promise<void>((resolve) => this.#clock.schedule(RETRY_BACKOFF_MS * Math.min(this.#attempts, 10), resolve));
    }
    this.#inFlight = false;
  }
}
