import { Kafka, logLevel, type Producer } from 'kafkajs';

/** One error a producer send reported, reduced to what a test judges: its name, Kafka type and retriability. */
export interface ReportedError {
  readonly partition: number;
  readonly name: string;
  readonly type: string | undefined;
  readonly retriable: boolean;
  readonly message: string;
  readonly at: number;
}

/**
 * kafkajs retries nothing here (retries: 0), so every failed attempt reaches the application and is recorded.
 * kafkajs wraps a retriable error it gives up on in KafkaJSNumberOfRetriesExceeded (itself not retriable); the
 * wrapped cause is what the broker reported, so that is what is classified.
 */
export function classify(err: unknown, partition: number): ReportedError {
  const e = err as { name?: unknown; type?: unknown; retriable?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
  const inner = e.name === 'KafkaJSNumberOfRetriesExceeded' ? ((e.cause ?? e.originalError) as typeof e | undefined) : undefined;
  const src = inner ?? e;
  return {
    partition,
    name: String(src.name ?? 'Error'),
    type: typeof src.type === 'string' ? src.type : undefined,
    retriable: inner !== undefined || src.retriable === true,
    message: String(src.message ?? err),
    at: Date.now(),
  };
}

/**
 * Produces continuously with acks=all to partitions 0..partitions-1 of one topic: one sequential send loop per
 * partition, each record a unique value `p<partition>-<n>`. Records are "acknowledged" when their send resolved;
 * a failed send is recorded and the loop goes on with the next value after `backoffMs`.
 */
export class ContinuousProducer {
  readonly acked: string[][];
  readonly errors: ReportedError[] = [];
  readonly #producer: Producer;
  readonly #topic: string;
  readonly #backoffMs: number;
  #running = false;
  #loops: Promise<void>[] = [];

  constructor(bootstrap: readonly string[], topic: string, partitions: number, backoffMs = 100) {
    const kafka = new Kafka({
      clientId: 'sk-continuous-producer',
      brokers: [...bootstrap],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 15_000,
      retry: { retries: 0 },
    });
    this.#producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    this.#topic = topic;
    this.#backoffMs = backoffMs;
    this.acked = Array.from({ length: partitions }, () => []);
  }

  async start(): Promise<void> {
    await this.#producer.connect();
    this.#running = true;
    this.#loops = this.acked.map(async (_, p) => await this.#loop(p));
  }

  /** Acknowledged records per partition so far. */
  ackedCounts(): number[] {
    return this.acked.map((a) => a.length);
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
    await this.#producer.disconnect();
  }

  async #loop(partition: number): Promise<void> {
    for (let n = 0; this.#running; n++) {
      const value = `p${partition}-${n}`;
      try {
        await this.#producer.send({ topic: this.#topic, acks: -1, timeout: 10_000, messages: [{ partition, value }] });
        this.acked[partition]?.push(value);
      } catch (err) {
        this.errors.push(classify(err, partition));
        await new Promise((r) => setTimeout(r, this.#backoffMs));
      }
    }
  }
}
