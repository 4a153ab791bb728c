/**
 * The producer perf run: batches of records go to the topic's partitions round robin, each to its partition's
 * leader, with up to `maxInFlight` Produce requests outstanding per leader connection, paced by ThroughputPacer.
 * Retriable errors (and lost connections) send the batch again, up to MAX_RETRIES times, after the leaders
 * were looked up again; other errors count the batch's records as failed.
 */
import type { Clock } from '../../util/clock.js';
import { decodeResponse } from '../../protocol/codec.js';
import { errorByCode } from '../../protocol/error-codes.js';
import type { ProduceResponse } from '../../protocol/apis/produce/index.js';
import type { PerfCluster } from './perf-cluster.js';
import type { ProducerPerfOptions } from './perf-options.js';
import { PerfStats } from './perf-stats.js';
import { PRODUCE_KEY, PRODUCE_VERSION, ProduceRequests } from './produce-requests.js';
import { planBatch, ThroughputPacer } from './throughput-pacer.js';

export const MAX_RETRIES = 3;
const RETRY_BACKOFF_MS = 100;
const CLIENT_TIMEOUT_MARGIN_MS = 1000;
/** How long a run waits when no partition has a leader it can send to, before looking again. */
const NO_LEADER_WAIT_MS = 100;
export const METADATA_TIMEOUT_MS = 15_000;

interface Batch {
  readonly partition: number;
  readonly records: number;
  readonly attempt: number;
  readonly notBefore: number;
}

export interface ProducerPerfResult {
  readonly stats: PerfStats;
  readonly elapsedMs: number;
  readonly aborted: boolean;
}

/** The error code of the single partition in a Produce response (UNKNOWN_SERVER_ERROR's -1 when missing). */
export function producePartitionError(frame: Buffer): number {
  const body = decodeResponse(frame, PRODUCE_KEY, PRODUCE_VERSION).body as ProduceResponse;
  return body.responses[0]?.partitionResponses[0]?.errorCode ?? -1;
}

export class ProducerPerf {
  readonly stats: PerfStats;
  readonly #options: ProducerPerfOptions;
  readonly #clock: Clock;
  readonly #cluster: PerfCluster;
  readonly #inFlight = new Map<number, number>();
  readonly #outstanding = new Set<Promise<void>>();
  readonly #retries: Batch[] = [];
  #requests: ProduceRequests | undefined;
  #cursor = 0;
  #wake: (() => void) | undefined;

  constructor(options: ProducerPerfOptions, clock: Clock, cluster: PerfCluster) {
    this.#options = options;
    this.#clock = clock;
    this.#cluster = cluster;
    this.stats = new PerfStats(clock.now());
  }

  async run(signal?: AbortSignal): Promise<ProducerPerfResult> {
    const o = this.#options;
    await this.#cluster.waitForLeaders(METADATA_TIMEOUT_MS, signal);
    const config = { topic: o.topic, acks: o.acks, timeoutMs: o.requestTimeoutMs, recordSize: o.recordSize, batchSize: o.batchSize, compression: o.compression, maxRecords: o.numRecords };
    const requests = new ProduceRequests(config, this.#clock);
    this.#requests = requests;
    const start = this.#clock.now();
    this.stats.takeWindow(start);
    const pacer = new ThroughputPacer(o.throughput, start);
    let taken = 0;
    const onAbort = (): void => this.#wake?.();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (signal?.aborted !== true) {
        const now = this.#clock.now();
        const retry = this.#retries.findIndex((b) => b.notBefore <= now && this.#canSendTo(b.partition));
        if (retry >= 0) {
          this.#dispatch(this.#retries.splice(retry, 1)[0] as Batch);
          continue;
        }
        const plan = planBatch({ pacer, taken, total: o.numRecords, fullBatch: requests.fullBatch, lingerMs: o.lingerMs, nowMs: now });
        let wakeAt = Infinity;
        if (plan.kind === 'send') {
          const partition = this.#nextPartition();
          if (partition !== undefined) {
            taken += plan.records;
            this.#dispatch({ partition, records: plan.records, attempt: 0, notBefore: now });
            continue;
          }
          if (this.#outstanding.size === 0) {
            this.#refreshLeaders();
            wakeAt = now + NO_LEADER_WAIT_MS;
          }
        } else if (plan.kind === 'wait') {
          wakeAt = plan.untilMs;
        } else if (this.#outstanding.size === 0 && this.#retries.length === 0) {
          break;
        }
        for (const b of this.#retries) wakeAt = Math.min(wakeAt, Math.max(b.notBefore, now + (this.#canSendTo(b.partition) ? 0 : NO_LEADER_WAIT_MS)));
        await this.#nextEvent(wakeAt - now);
      }
      await Promise.all(this.#outstanding);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return { stats: this.stats, elapsedMs: this.#clock.now() - start, aborted: signal?.aborted === true };
  }

  /** True when the partition's leader is known and has a free request slot (or is unknown: the send will fail fast). */
  #canSendTo(partition: number): boolean {
    const leader = this.#cluster.leaderOf(partition);
    return leader === undefined || (this.#inFlight.get(leader) ?? 0) < this.#options.maxInFlight;
  }

  /** The next partition, round robin, whose leader is known and has a free request slot. */
  #nextPartition(): number | undefined {
    const partitions = this.#cluster.partitions;
    for (let i = 0; i < partitions.length; i++) {
      const partition = partitions[(this.#cursor + i) % partitions.length] as number;
      const leader = this.#cluster.leaderOf(partition);
      if (leader !== undefined && (this.#inFlight.get(leader) ?? 0) < this.#options.maxInFlight) {
        this.#cursor = (this.#cursor + i + 1) % partitions.length;
        return partition;
      }
    }
    return undefined;
  }

  #dispatch(batch: Batch): void {
    const leader = this.#cluster.leaderOf(batch.partition);
    if (leader === undefined) {
      this.#failed(batch, 'LEADER_NOT_AVAILABLE', true);
      return;
    }
    this.#inFlight.set(leader, (this.#inFlight.get(leader) ?? 0) + 1);
    const sending = this.#send(batch, leader).finally(() => {
      this.#inFlight.set(leader, (this.#inFlight.get(leader) ?? 1) - 1);
      this.#outstanding.delete(sending);
      this.#wake?.();
    });
    this.#outstanding.add(sending);
  }

  /** Sends one batch and accounts for the outcome; never rejects. */
  async #send(batch: Batch, leader: number): Promise<void> {
    const bytes = batch.records * this.#options.recordSize;
    try {
      const client = await this.#cluster.client(leader);
      const request = (this.#requests as ProduceRequests).request(batch.partition, batch.records);
      const sentAt = this.#clock.now();
      if (this.#options.acks === 0) {
        await client.sendOneWay(request);
        this.stats.complete(batch.records, bytes);
        return;
      }
      // The broker answers REQUEST_TIMED_OUT itself after the request's own timeout; the client gives up a little later.
      const frame = await client.send(request, { timeoutMs: this.#options.requestTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS });
      const latencyMs = this.#clock.now() - sentAt;
      const code = producePartitionError(frame);
      if (code === 0) this.stats.complete(batch.records, bytes, latencyMs);
      else this.#failed(batch, errorByCode(code).name, errorByCode(code).retriable);
    } catch {
      this.#failed(batch, 'NETWORK_EXCEPTION', true);
    }
  }

  #failed(batch: Batch, errorName: string, retriable: boolean): void {
    this.stats.error(errorName);
    if (retriable && batch.attempt < MAX_RETRIES) {
      this.#retries.push({ ...batch, attempt: batch.attempt + 1, notBefore: this.#clock.now() + RETRY_BACKOFF_MS * 2 ** batch.attempt });
      this.#refreshLeaders();
    } else {
      this.stats.failedRecords += batch.records;
    }
  }

  #refreshLeaders(): void {
    this.#cluster.refresh().then(
      () => this.#wake?.(),
      () => undefined, // the next failure or wait tries again
    );
  }

  /** Resolves when a request completes, the metadata changes, the run is aborted, or after `ms`. */
  async #nextEvent(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const cancel = Number.isFinite(ms) ? this.#clock.schedule(Math.max(0, ms), () => this.#wake?.()) : (): void => undefined;
      this.#wake = (): void => {
        this.#wake = undefined;
        cancel();
        resolve();
      };
    });
  }
}
