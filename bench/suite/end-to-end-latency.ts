/**
 * P5: end-to-end latency at a fixed rate. The producer sends one 16-record batch of 1 KiB records every
 * batchBytes / rate seconds, each record's value starting with its send time (performance.now(), float64 LE);
 * one consumer in the same process (one clock) long-polls the leader with a small max wait and records, for each
 * batch it receives, now − send time, once per record (LatencyHistogram weights).
 */
import { decodeResponse } from '../../src/protocol/codec.js';
import type { FetchResponse } from '../../src/protocol/apis/fetch/index.js';
import type { ListOffsetsResponse } from '../../src/protocol/apis/list-offsets/index.js';
import { BATCH, buildRecordBatch, decodeRecords, scanBatches, writeCrc } from '../../src/protocol/record-batch.js';
import { LatencyHistogram } from '../../src/cli/perf/latency-histogram.js';
import { prepareRequest, RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';
import { producePartitionError } from '../../src/cli/perf/producer-perf.js';
import { PRODUCE_KEY, PRODUCE_VERSION } from '../../src/cli/perf/produce-requests.js';

const RECORDS_PER_BATCH = 16;
const FETCH_MAX_WAIT_MS = 10;
const MAX_IN_FLIGHT = 1000;

export interface LatencyOutcome {
  readonly histogram: LatencyHistogram;
  /** Record value bytes per second actually acknowledged. */
  readonly achievedRate: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  /** Records acknowledged but never seen by the consumer before it stopped. */
  readonly unseen: number;
}

/** A batch template and the positions of its record values, so a send only writes the stamps and the CRC. */
function stampedBatches(recordSize: number): () => Buffer {
  const template = buildRecordBatch({ baseTimestamp: Date.now(), records: Array.from({ length: RECORDS_PER_BATCH }, () => ({ value: Buffer.alloc(recordSize, 0x61) })) });
  const positions = decodeRecords(template).map((r) => (r.value as Buffer).byteOffset - template.byteOffset);
  return () => {
    const batch = Buffer.from(template);
    const now = performance.now();
    for (const p of positions) batch.writeDoubleLE(now, p);
    batch.writeBigInt64BE(BigInt(Date.now()), BATCH.BASE_TIMESTAMP);
    batch.writeBigInt64BE(BigInt(Date.now()), BATCH.MAX_TIMESTAMP);
    writeCrc(batch, 0);
    return batch;
  };
}

async function logEndOffset(client: RawKafkaClient, topic: string): Promise<number> {
  const r = await client.request<ListOffsetsResponse>(2, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
  const p = r.topics[0]?.partitions[0];
  if (p === undefined || p.errorCode !== 0) throw new Error(`ListOffsets of ${topic} failed (${p?.errorCode ?? 'no partition'})`);
  return Number(p.offset);
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
  let errors = 0;
  let firstError: string | undefined;
  try {
    const start = await logEndOffset(consumer, topic);
    const stop = new AbortController();
    const consuming = consumeLoop(consumer, topic, start, stop.signal, (records, pos, count) => {
      const sent = decodeRecords(records, pos)[0]?.value?.readDoubleLE(0) ?? NaN;
      histogram.record(performance.now() - sent, count);
      seen += count;
    });
    const next = stampedBatches(opts.recordSize);
    const batchBytes = RECORDS_PER_BATCH * opts.recordSize;
    const intervalMs = (batchBytes / opts.bytesPerSecond) * 1000;
    const outstanding = new Set<Promise<void>>();
    const send = (): void => {
      if (producer.inFlight >= MAX_IN_FLIGHT) {
        errors++;
        firstError ??= `more than ${MAX_IN_FLIGHT} requests outstanding`;
        return;
      }
      const body = { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: 0, records: next() }] }] };
      const p = producer.send(prepareRequest(PRODUCE_KEY, PRODUCE_VERSION, body)).then(
        (frame) => {
          const code = producePartitionError(frame);
          if (code === 0) acked += RECORDS_PER_BATCH;
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
      void p.finally(() => outstanding.delete(p));
    };
    const t0 = performance.now();
    let due = t0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        while (due <= now && due < t0 + opts.ms) {
          send();
          due += intervalMs;
        }
        if (due >= t0 + opts.ms) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    await Promise.all(outstanding);
    const elapsed = performance.now() - t0;
    // Let the consumer see what was acknowledged last, then stop it (its fetch ends within FETCH_MAX_WAIT_MS).
    const deadline = performance.now() + 5000;
    while (seen < acked && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    stop.abort();
    await consuming;
    return { histogram, achievedRate: (acked * opts.recordSize * 1000) / elapsed, errors, firstError, unseen: Math.max(0, acked - seen) };
  } finally {
    producer.close();
    consumer.close();
  }
}
