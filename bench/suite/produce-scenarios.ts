/**
 * P1-P4: throughput on a real cluster with the perf tools' ProducerPerf / ConsumerPerf (the raw pipelining
 * client), each run bounded by time: a short warm-up run, then the measured run.
 */
import { systemClock } from '../../src/util/clock.js';
import { ConsumerPerf } from '../../src/cli/perf/consumer-perf.js';
import { PerfCluster } from '../../src/cli/perf/perf-cluster.js';
import { ACKS, type Acks, type HostPort } from '../../src/cli/perf/perf-options.js';
import { errorsText } from '../../src/cli/perf/perf-report.js';
import { ProducerPerf } from '../../src/cli/perf/producer-perf.js';

export interface ProduceLoad {
  readonly topic: string;
  readonly bootstrap: readonly HostPort[];
  readonly recordSize: number;
  readonly acks: Acks;
  /** Bytes of records per Produce batch (Kafka's batch.size). */
  readonly batchSize: number;
  readonly maxInFlight: number;
}

export interface ProduceOutcome {
  readonly records: number;
  /** Record value bytes acknowledged. */
  readonly bytes: number;
  readonly ms: number;
  readonly errors: string;
}

/** Batches of 256 KiB, 8 Produce requests in flight: enough to keep one partition's leader busy. */
export const THROUGHPUT_LOAD = { batchSize: 256 * 1024, maxInFlight: 8 } as const;

/** The perf tools' "NAME=count, ..." and how many records failed; empty when all went well. */
function errorText(errors: ReadonlyMap<string, number>, failed: number): string {
  return [errorsText(errors), failed > 0 ? `${failed} records failed` : ''].filter((s) => s !== '').join(', ');
}

/** Produces as fast as the cluster takes it for `ms`, then waits for the answers still outstanding. */
export async function produceFor(load: ProduceLoad, ms: number): Promise<ProduceOutcome> {
  const cluster = new PerfCluster(load.topic, load.bootstrap, systemClock);
  const perf = new ProducerPerf(
    { ...load, numRecords: Number.MAX_SAFE_INTEGER, throughput: -1, lingerMs: 0, compression: 'none', requestTimeoutMs: 30_000 },
    systemClock,
    cluster,
  );
  const stop = new AbortController();
  const start = performance.now();
  const timer = setTimeout(() => stop.abort(), ms);
  try {
    const r = await perf.run(stop.signal);
    return { records: r.stats.records, bytes: r.stats.bytes, ms: performance.now() - start, errors: errorText(r.stats.errors, r.stats.failedRecords) };
  } finally {
    clearTimeout(timer);
    cluster.close();
  }
}

export interface ConsumeOutcome {
  readonly records: number;
  /** Record batch bytes fetched. */
  readonly bytes: number;
  /** From the first record to the last. */
  readonly ms: number;
  readonly errors: string;
}

/** Reads `records` records of the topic from its start with one consumer asking `fetchSize` bytes per Fetch. */
export async function consumeAll(topic: string, bootstrap: readonly HostPort[], records: number, fetchSize: number): Promise<ConsumeOutcome> {
  const cluster = new PerfCluster(topic, bootstrap, systemClock);
  try {
    const perf = new ConsumerPerf({ topic, messages: records, bootstrap, fetchMaxBytes: 52_428_800, fetchSize, timeoutMs: 30_000, maxInFlight: 5 }, systemClock, cluster);
    const r = await perf.run();
    const ms = r.elapsedMs - (r.firstRecordMs ?? 0);
    const timedOut = r.timedOut ? `timed out after ${r.stats.records} records` : '';
    return { records: r.stats.records, bytes: r.stats.bytes, ms, errors: [timedOut, errorsText(r.stats.errors)].filter((s) => s !== '').join(', ') };
  } finally {
    cluster.close();
  }
}

