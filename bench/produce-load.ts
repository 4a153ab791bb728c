/**
 * Load loops for the replicated-produce benchmark: a closed loop with a fixed number of Produce requests in flight,
 * and an open loop that sends at a fixed rate (latency counted from each request's scheduled send time, so a slow
 * broker cannot hide its stalls by slowing the sender down).
 */
import { randomBytes } from 'node:crypto';
import { decodeResponse } from '../src/protocol/codec.js';
import type { ProduceResponse } from '../src/protocol/apis/produce/index.js';
import { buildRecordBatch } from '../src/protocol/record-batch.js';
import { prepareRequest, type PreparedRequest, type RawKafkaClient } from '../src/cli/perf/raw-kafka-client.js';

export const PRODUCE_KEY = 0;
export const PRODUCE_VERSION = 7;

export interface ProduceTemplate {
  readonly request: PreparedRequest;
  readonly batchBytes: number;
  readonly records: number;
}

/** One Produce v7 request for partition 0 of `topic` carrying one uncompressed batch of `records` random values. */
export function produceTemplate(topic: string, acks: number, records: number, valueBytes: number, timeoutMs = 30_000): ProduceTemplate {
  const batch = buildRecordBatch({
    baseTimestamp: Date.now(),
    records: Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: randomBytes(valueBytes) })),
  });
  const request = prepareRequest(PRODUCE_KEY, PRODUCE_VERSION, {
    transactionalId: null,
    acks,
    timeoutMs,
    topicData: [{ name: topic, partitionData: [{ index: 0, records: batch }] }],
  });
  return { request, batchBytes: batch.length, records };
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
  /** Per-request latency in ms, unsorted. */
  readonly latenciesMs: number[];
}

function produceError(frame: Buffer): string | undefined {
  const body = decodeResponse(frame, PRODUCE_KEY, PRODUCE_VERSION).body as ProduceResponse;
  const p = body.responses[0]?.partitionResponses[0];
  if (p === undefined) return 'response without a partition';
  return p.errorCode === 0 ? undefined : `error ${p.errorCode}: ${p.errorMessage ?? ''}`;
}

class Tally {
  requests = 0;
  errors = 0;
  firstError: string | undefined;
  readonly latenciesMs: number[] = [];

  record(frame: Buffer, latencyMs: number): void {
    this.requests++;
    this.latenciesMs.push(latencyMs);
    const err = produceError(frame);
    if (err !== undefined) this.fail(err);
  }

  fail(reason: string): void {
    this.errors++;
    this.firstError ??= reason;
  }

  result(elapsedMs: number): LoadResult {
    return { requests: this.requests, errors: this.errors, firstError: this.firstError, elapsedMs, latenciesMs: this.latenciesMs };
  }
}

/** `inFlight` requests outstanding at all times until `durationMs` has passed; then waits for the last answers. */
export async function closedLoop(client: RawKafkaClient, t: ProduceTemplate, inFlight: number, durationMs: number): Promise<LoadResult> {
  const tally = new Tally();
  const start = performance.now();
  const deadline = start + durationMs;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      const frame = await client.send(t.request);
      tally.record(frame, performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return tally.result(performance.now() - start);
}

/**
 * One request every `bytesPerSecond / batchBytes` of a second for `durationMs`, whatever is still outstanding
 * (capped at `maxInFlight`; a send skipped for the cap counts as an error).
 */
export async function openLoop(
  client: RawKafkaClient,
  t: ProduceTemplate,
  bytesPerSecond: number,
  durationMs: number,
  maxInFlight = 1000,
): Promise<LoadResult & { maxInFlight: number }> {
  const tally = new Tally();
  const intervalMs = (t.batchBytes / bytesPerSecond) * 1000;
  const start = performance.now();
  const end = start + durationMs;
  let next = start;
  let peak = 0;
  const outstanding = new Set<Promise<void>>();
  const fire = (scheduled: number): void => {
    if (client.inFlight >= maxInFlight) {
      tally.fail(`more than ${maxInFlight} requests outstanding`);
      return;
    }
    const p = client.send(t.request).then(
      (frame) => tally.record(frame, performance.now() - scheduled),
      (err: unknown) => tally.fail(String(err)),
    );
    outstanding.add(p);
    void p.finally(() => outstanding.delete(p));
    peak = Math.max(peak, client.inFlight);
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      while (next <= now && next < end) {
        fire(next);
        next += intervalMs;
      }
      if (next >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(outstanding);
  return { ...tally.result(performance.now() - start), maxInFlight: peak };
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
