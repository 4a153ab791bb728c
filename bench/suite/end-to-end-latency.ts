/**
 * P5: end-to-end latency at a fixed rate, with a producer shaped like Kafka's (linger.ms=0, at most
 * MAX_IN_FLIGHT Produce requests per connection, as max.in.flight.requests.per.connection's default): records
 * fall due at the fixed rate; whenever a request slot is free the records due so far go out as one batch (at most
 * BATCH_SIZE bytes, batch.size), and while all slots are taken they wait, so batches grow with the load as
 * Kafka's accumulator makes them. Each record's value starts with the time it fell due (performance.now(),
 * float64 LE), not the time it was sent, so waiting for a slot counts (no coordinated omission). One consumer in
 * the same process (one clock) long-polls the leader with a small max wait and records now − due time of every
 * record it receives; records due in the first WARMUP_MS are left out.
 */
import { decodeResponse } from '../../src/protocol/codec.js';
import type { FetchResponse } from '../../src/protocol/apis/fetch/index.js';
import { BATCH, buildRecordBatch, decodeRecords, LOG_OVERHEAD, scanBatches, writeCrc } from '../../src/protocol/record-batch.js';
import { LatencyHistogram } from '../../src/cli/perf/latency-histogram.js';
import { prepareRequest, RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';
import { producePartitionError } from '../../src/cli/perf/producer-perf.js';
import { prepareProduce } from '../../src/cli/perf/produce-requests.js';
import { logEndOffset } from './bench-cluster.js';

const FETCH_MAX_WAIT_MS = 10;
/** Kafka's max.in.flight.requests.per.connection default. */
const MAX_IN_FLIGHT = 5;
/** batch.size: the records of one Produce request at most. */
const BATCH_SIZE = 256 * 1024;
const WARMUP_MS = 2000;

export interface LatencyOutcome {
  readonly histogram: LatencyHistogram;
  /** Record value bytes per second actually acknowledged. */
  readonly achievedRate: number;
  /** Records per Produce request, on average. */
  readonly recordsPerRequest: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Records acknowledged but never seen by the consumer before it stopped. */
  readonly unseen: number;
}

/**
 * Batches of 1..maxRecords records cut from one template: records of equal size with no key, headers or timestamp
 * delta differ only in their offset delta, so the first n records of the template are a valid n-record section.
 * A batch costs one copy, the stamps and the CRC.
 */
function batchMaker(recordSize: number, maxRecords: number): (n: number, dueMs: (i: number) => number) => Buffer {
  const template = buildRecordBatch({ baseTimestamp: Date.now(), records: Array.from({ length: maxRecords }, () => ({ value: Buffer.alloc(recordSize, 0x61) })) });
  const values = decodeRecords(template).map((r) => (r.value as Buffer).byteOffset - template.byteOffset);
  // Record i ends after its value and its header count (one varint byte, zero headers).
  const ends = values.map((v) => v + recordSize + 1);
  return (n, dueMs) => {
    const size = ends[n - 1] as number;
    const batch = Buffer.from(template.subarray(0, size));
    batch.writeInt32BE(size - LOG_OVERHEAD, BATCH.BATCH_LENGTH);
    batch.writeInt32BE(n - 1, BATCH.LAST_OFFSET_DELTA);
    batch.writeInt32BE(n, BATCH.RECORD_COUNT);
    for (let i = 0; i < n; i++) batch.writeDoubleLE(dueMs(i), values[i] as number);
    const now = BigInt(Date.now());
    batch.writeBigInt64BE(now, BATCH.BASE_TIMESTAMP);
    batch.writeBigInt64BE(now, BATCH.MAX_TIMESTAMP);
    writeCrc(batch, 0);
    return batch;
  };
}

/** Fetches partition 0 from `offset` until `stop` aborts; calls `onBatch` with each batch's records. */
async function consumeLoop(client: RawKafkaClient, topic: string, offset: number, stop: AbortSignal, onBatch: (records: Buffer, pos: number, count: number) => void): Promise<void> {
  let position = offset;
  while (!stop.aborted) {
    const req = prepareRequest(1, 11, {
      replicaId: -1, maxWaitMs: FETCH_MAX_WAIT_MS, minBytes: 1, maxBytes: 8 * 1024 * 1024, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic, partitions: [{ partition: 0, fetchOffset: BigInt(position), logStartOffset: -1n, currentLeaderEpoch: -1, partitionMaxBytes: 8 * 1024 * 1024 }] }],
      forgottenTopicsData: [], rackId: '',
    });
    const body = decodeResponse(await client.send(req), 1, 11).body as FetchResponse;
    const p = body.responses[0]?.partitions[0];
    if (p === undefined || p.errorCode !== 0) throw new Error(`Fetch of ${topic}-0 failed (${p?.errorCode ?? 'no partition'})`);
    if (p.records === null || p.records.length === 0) continue;
    for (const b of scanBatches(p.records)) {
      if (b.lastOffset < position) continue;
      onBatch(p.records, b.position, b.recordCount);
      position = b.lastOffset + 1;
    }
  }
}

export async function measureEndToEnd(leaderPort: number, topic: string, opts: { recordSize: number; bytesPerSecond: number; ms: number }): Promise<LatencyOutcome> {
  const producer = await RawKafkaClient.connect(leaderPort);
  const consumer = await RawKafkaClient.connect(leaderPort);
  const histogram = new LatencyHistogram();
  let seen = 0;
  let acked = 0;
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  try {
    const start = await logEndOffset(leaderPort, topic);
    const stop = new AbortController();
    const maxRecords = Math.max(1, Math.floor(BATCH_SIZE / opts.recordSize));
    const makeBatch = batchMaker(opts.recordSize, maxRecords);
    const intervalMs = (opts.recordSize / opts.bytesPerSecond) * 1000;
    const total = Math.floor((WARMUP_MS + opts.ms) / intervalMs);
    const t0 = performance.now() + 1;
    const measuredFrom = t0 + WARMUP_MS;
    // Handled at once (an unhandled rejection would end the suite): a failed consumer stops the producing, and
    // its error is thrown at the end.
    const consumerState: { failure: { err: unknown } | undefined } = { failure: undefined };
    const consuming = consumeLoop(consumer, topic, start, stop.signal, (records, pos) => {
      const now = performance.now();
      for (const r of decodeRecords(records, pos)) {
        const due = r.value?.readDoubleLE(0) ?? NaN;
        if (due >= measuredFrom) histogram.record(now - due, 1);
        seen++;
      }
    }).catch((err: unknown) => {
      consumerState.failure = { err };
    });
    /** Records handed to a request so far, and records due by now. */
    let sent = 0;
    let inFlight = 0;
    const outstanding = new Set<Promise<void>>();
    const sendDue = (): void => {
      while (inFlight < MAX_IN_FLIGHT && consumerState.failure === undefined) {
        const due = Math.min(total, Math.floor((performance.now() - t0) / intervalMs) + 1);
        const n = Math.min(maxRecords, due - sent);
        if (n <= 0) return;
        const first = sent;
        sent += n;
        inFlight++;
        requests++;
        const records = makeBatch(n, (i) => t0 + (first + i) * intervalMs);
        const p = producer.send(prepareProduce(topic, 0, records, -1, 30_000)).then(
          (frame) => {
            const code = producePartitionError(frame);
            if (code === 0) acked += n;
            else {
              errors++;
              firstError ??= `Produce error code ${code}`;
            }
          },
          (err: unknown) => {
            errors++;
            firstError ??= String(err);
          },
        );
        outstanding.add(p);
        void p.finally(() => {
          outstanding.delete(p);
          inFlight--;
          sendDue();
        });
      }
    };
    // Records fall due continuously; a 1 ms tick sends what fell due while every slot was free.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        sendDue();
        if (sent >= total || consumerState.failure !== undefined) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    while (outstanding.size > 0) await Promise.all(outstanding);
    const elapsed = performance.now() - t0;
    // Let the consumer see what was acknowledged last, then stop it (its fetch ends within FETCH_MAX_WAIT_MS).
    const deadline = performance.now() + 5000;
    while (seen < acked && consumerState.failure === undefined && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await consuming;
    if (consumerState.failure !== undefined) throw consumerState.failure.err;
    return { histogram, achievedRate: (acked * opts.recordSize * 1000) / elapsed, recordsPerRequest: sent / Math.max(1, requests), errors, firstError, unseen: Math.max(0, acked - seen) };
  } finally {
    producer.close();
    consumer.close();
  }
}
