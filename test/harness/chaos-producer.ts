import { setTimeout as sleep } from 'node:timers/promises';

import type { Kafka, Producer } from 'kafkajs';

/** The value written for sequence number `seq` of partition `partition`; `parseChaosValue` reads it back. */
export function chaosValue(partition: number, seq: number): string {
  return `p${partition}-s${seq}`;
}

export function parseChaosValue(value: string): { partition: number; seq: number } | undefined {
  const m = /^p(\d+)-s(\d+)$/.exec(value);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  return { partition: Number(m[1]), seq: Number(m[2]) };
}

/** What one partition's lane had acknowledged: sequence numbers in acknowledgement order and their offsets. */
export interface AckedPartition {
  readonly seqs: readonly number[];
  /** `offsets[i]` is the offset the broker acknowledged for `seqs[i]`. */
  readonly offsets: readonly number[];
}

export interface ProducerTally {
  readonly sent: number;
  readonly acknowledged: number;
  /** Records whose send finally failed (they may or may not be in the log: not acknowledged, so no promise). */
  readonly failed: number;
  /** Failure messages (first 120 chars) with how many sends ended that way. */
  readonly errors: ReadonlyMap<string, number>;
  readonly acked: readonly AckedPartition[];
}

export interface AckTrackingProducerOptions {
  /** Records per send (one batch for one partition). Default 5. */
  readonly batchSize?: number;
  /** Pause between two sends of one lane, to leave CPU to the brokers. Default 10 ms. */
  readonly pauseMs?: number;
  /** Pause after a failed send. Default 250 ms. */
  readonly failurePauseMs?: number;
  /** The produce request's timeout (how long the leader may wait for the ISR). Default 10 s. */
  readonly ackTimeoutMs?: number;
}

/**
 * Produces continuously with acks=all to every partition of a topic, one lane per partition. A lane sends its
 * next batch only after the previous send settled, and the producer has maxInFlightRequests 1, so the order of
 * acknowledgements within a partition is the order the records must have in the log. Records carry
 * `p<partition>-s<seq>`; the key is `k<partition>`. Failed sends (retries exhausted) are counted, not retried by
 * the lane: the next batch gets new sequence numbers.
 */
export class AckTrackingProducer {
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #partitions: number;
  readonly #batchSize: number;
  readonly #pauseMs: number;
  readonly #failurePauseMs: number;
  readonly #ackTimeoutMs: number;
  readonly #acked: Array<{ seqs: number[]; offsets: number[] }>;
  readonly #errors = new Map<string, number>();
  #sent = 0;
  #failed = 0;
  #stopping = false;
  #lanes: Array<Promise<void>> = [];

  constructor(kafka: Kafka, topic: string, partitions: number, opts: AckTrackingProducerOptions = {}) {
    this.#producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: false,
      maxInFlightRequests: 1,
      // Long enough to ride out a session timeout plus an election.
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    this.#topic = topic;
    this.#partitions = partitions;
    this.#batchSize = opts.batchSize ?? 5;
    this.#pauseMs = opts.pauseMs ?? 10;
    this.#failurePauseMs = opts.failurePauseMs ?? 250;
    this.#ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
    this.#acked = Array.from({ length: partitions }, () => ({ seqs: [], offsets: [] }));
  }

  async start(): Promise<void> {
    await this.#producer.connect();
    this.#lanes = Array.from({ length: this.#partitions }, async (_, p) => await this.#lane(p));
  }

  /** Lets every lane finish its current send, then disconnects. */
  async stop(): Promise<ProducerTally> {
    this.#stopping = true;
    await Promise.all(this.#lanes);
    await this.#producer.disconnect();
    return this.tally();
  }

  tally(): ProducerTally {
    const acked = this.#acked.map((a) => ({ seqs: [...a.seqs], offsets: [...a.offsets] }));
    return {
      sent: this.#sent,
      acknowledged: acked.reduce((n, a) => n + a.seqs.length, 0),
      failed: this.#failed,
      errors: new Map(this.#errors),
      acked,
    };
  }

  async #lane(partition: number): Promise<void> {
    const acked = this.#acked[partition];
    if (acked === undefined) throw new Error(`no lane state for partition ${partition}`);
    let next = 0;
    while (!this.#stopping) {
      const seqs = Array.from({ length: this.#batchSize }, (_, i) => next + i);
      next += this.#batchSize;
      this.#sent += seqs.length;
      try {
        const [meta] = await this.#producer.send({
          topic: this.#topic,
          acks: -1,
          timeout: this.#ackTimeoutMs,
          messages: seqs.map((s) => ({ key: `k${partition}`, value: chaosValue(partition, s), partition })),
        });
        if (meta === undefined || meta.errorCode !== 0 || meta.baseOffset === undefined || meta.partition !== partition) {
          throw new Error(`unexpected produce result ${JSON.stringify(meta)}`);
        }
        const base = Number(meta.baseOffset);
        seqs.forEach((s, i) => {
          acked.seqs.push(s);
          acked.offsets.push(base + i);
        });
        if (this.#pauseMs > 0) await sleep(this.#pauseMs);
      } catch (err) {
        this.#failed += seqs.length;
        const key = describeError(err);
        this.#errors.set(key, (this.#errors.get(key) ?? 0) + 1);
        await sleep(this.#failurePauseMs);
      }
    }
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 120);
  const cause = (err as Error & { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? ` <- ${cause.name}: ${cause.message}` : '';
  return `${err.name}: ${err.message}${causeText}`.slice(0, 120);
}
