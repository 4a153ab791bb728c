/**
 * What the perf tools know of the cluster: one connection per broker (opened on first use, reopened after a
 * failure) and the leaders of one topic's partitions, refreshed with Metadata when a leader moves or is missing.
 */
import type { Clock } from '../../util/clock.js';
import type { MetadataResponse } from '../../protocol/apis/metadata/index.js';
import { errorByCode } from '../../protocol/error-codes.js';
import { PerfError } from './perf-error.js';
import type { HostPort } from './perf-options.js';
import { RawKafkaClient } from './raw-kafka-client.js';

const METADATA_KEY = 3;
const METADATA_VERSION = 1;
const RETRY_BACKOFF_MS = 200;
/** Kafka's request.timeout.ms default: a Metadata request unanswered this long fails its connection. */
export const REQUEST_TIMEOUT_MS = 30_000;

export class PerfCluster {
  readonly #topic: string;
  readonly #bootstrap: readonly HostPort[];
  readonly #clock: Clock;
  readonly #brokers = new Map<number, HostPort>();
  readonly #clients = new Map<number, Promise<RawKafkaClient>>();
  #leaders = new Map<number, number>();
  #refreshing: Promise<void> | undefined;
  #bootstrapClient: RawKafkaClient | undefined;
  #closed = false;

  constructor(topic: string, bootstrap: readonly HostPort[], clock: Clock) {
    this.#topic = topic;
    this.#bootstrap = bootstrap;
    this.#clock = clock;
  }

  /** Partition ids of the topic, ascending (as of the last metadata). */
  get partitions(): number[] {
    return [...this.#leaders.keys()].sort((a, b) => a - b);
  }

  /** The leader of `partition`, or undefined when it has none (or the topic does not have that partition). */
  leaderOf(partition: number): number | undefined {
    const leader = this.#leaders.get(partition);
    return leader === undefined || leader < 0 ? undefined : leader;
  }

  /**
   * Asks for the topic's metadata until every partition has a leader (a topic auto-created by this request
   * takes a moment) or `timeoutMs` passes; throws then, naming the last problem.
   */
  async waitForLeaders(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = this.#clock.now() + timeoutMs;
    for (;;) {
      let problem: string;
      try {
        await this.refresh(signal);
        const missing = [...this.#leaders].filter(([, leader]) => leader < 0).map(([p]) => p);
        if (this.#leaders.size > 0 && missing.length === 0) return;
        problem = this.#leaders.size === 0 ? `topic ${this.#topic} has no partitions` : `no leader for partitions ${missing.join(',')}`;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      if (this.#clock.now() >= deadline || signal?.aborted === true) throw new PerfError(`metadata of ${this.#topic}: ${problem}`);
      await this.sleep(RETRY_BACKOFF_MS, signal);
    }
  }

  /**
   * Refreshes the leaders (concurrent callers share one Metadata request). The request fails after
   * REQUEST_TIMEOUT_MS, or at once when `signal` (of the caller that started it) aborts.
   */
  async refresh(signal?: AbortSignal): Promise<void> {
    this.#refreshing ??= this.#fetchMetadata(signal).finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  /** The connection to broker `id` (opened now if needed). */
  async client(id: number): Promise<RawKafkaClient> {
    if (this.#closed) throw new Error('perf cluster closed');
    const existing = this.#clients.get(id);
    if (existing !== undefined) {
      const c = await existing.catch(() => undefined);
      if (c !== undefined && !c.closed) return c;
      if (this.#clients.get(id) === existing) this.#clients.delete(id);
      return await this.client(id);
    }
    const address = this.#brokers.get(id);
    if (address === undefined) throw new Error(`broker ${id} is not in the metadata`);
    const opening = RawKafkaClient.connect(address.port, address.host);
    this.#clients.set(id, opening);
    try {
      return await opening;
    } catch (err) {
      if (this.#clients.get(id) === opening) this.#clients.delete(id);
      throw err;
    }
  }

  /** Resolves after `ms`, or at once when `signal` aborts. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.#clock.schedule(ms, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.#closed = true;
    this.#bootstrapClient?.close();
    for (const c of this.#clients.values()) void c.then((client) => client.close(), () => undefined);
    this.#clients.clear();
  }

  async #fetchMetadata(signal: AbortSignal | undefined): Promise<void> {
    const md = await this.#metadataRequest(signal);
    for (const b of md.brokers) this.#brokers.set(b.nodeId, { host: b.host, port: b.port });
    const topic = md.topics.find((t) => t.name === this.#topic);
    if (topic === undefined) throw new Error(`topic ${this.#topic} missing from the metadata response`);
    if (topic.errorCode !== 0) throw new Error(errorByCode(topic.errorCode).name);
    this.#leaders = new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId]));
  }

  /** Any known broker answers; the bootstrap servers are tried in order when none is known or all fail. */
  async #metadataRequest(signal: AbortSignal | undefined): Promise<MetadataResponse> {
    const stopped = (): boolean => signal?.aborted === true;
    if (stopped()) throw new Error('metadata request aborted');
    const body = { topics: [{ name: this.#topic }] };
    const opts = { timeoutMs: REQUEST_TIMEOUT_MS, ...(signal === undefined ? {} : { signal }) };
    if (this.#bootstrapClient?.closed === false) {
      try {
        return await this.#bootstrapClient.request<MetadataResponse>(METADATA_KEY, METADATA_VERSION, body, opts);
      } catch {
        this.#bootstrapClient.close();
      }
    }
    const candidates = [...this.#brokers.values(), ...this.#bootstrap];
    let lastError: unknown = new Error('no bootstrap server');
    for (const { host, port } of candidates) {
      if (stopped()) throw new Error('metadata request aborted'); // no broker is dialled once the run stopped
      try {
        const client = await RawKafkaClient.connect(port, host);
        this.#bootstrapClient = client;
        return await client.request<MetadataResponse>(METADATA_KEY, METADATA_VERSION, body, opts);
      } catch (err) {
        this.#bootstrapClient?.close();
        lastError = err;
      }
    }
    throw new Error(`no broker answered Metadata (${candidates.map((c) => `${c.host}:${c.port}`).join(', ')}): ${lastError instanceof Error ? lastError.message : String(lastError)}`, { cause: lastError });
  }
}
