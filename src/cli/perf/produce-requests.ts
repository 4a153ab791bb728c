/**
 * The Produce requests of the producer perf tool. Every record carries the same random value and no key (as in
 * Kafka's perf test). A full batch is encoded once per partition and sent again and again; its timestamps are
 * renewed (a copy, new CRC) once a second so the log's time index and retention see a sensible time.
 */
import type { Clock } from '../../util/clock.js';
import { BATCH, BATCH_HEADER_SIZE, buildRecordBatch, writeCrc } from '../../protocol/record-batch.js';
import type { Acks, PerfCompression } from './perf-options.js';
import { prepareRequest, type PreparedRequest } from './raw-kafka-client.js';

export const PRODUCE_KEY = 0;
export const PRODUCE_VERSION = 9;
const CLIENT_ID = 'streamkeeper-perf';
const RESTAMP_INTERVAL_MS = 1000;

/** A Produce request (PRODUCE_VERSION) carrying `batch` to partition `partition` of `topic`. */
export function prepareProduce(topic: string, partition: number, batch: Buffer, acks: number, timeoutMs: number, clientId?: string): PreparedRequest {
  const body = { transactionalId: null, acks, timeoutMs, topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }] };
  return prepareRequest(PRODUCE_KEY, PRODUCE_VERSION, body, clientId);
}

/** `size` random upper-case letters (compressible about as much as text). */
export function randomPayload(size: number, random: () => number = Math.random): Buffer {
  const value = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) value[i] = 65 + Math.floor(random() * 26);
  return value;
}

/** A magic-2 batch of `records` copies of `value`, timestamped `timestampMs`, optionally gzip-compressed. */
export function buildPerfBatch(value: Buffer, records: number, compression: PerfCompression, timestampMs: number): Buffer {
  return buildRecordBatch({ baseTimestamp: timestampMs, records: Array.from({ length: records }, () => ({ value })), compression });
}

/** A copy of `batch` whose records all carry `timestampMs` (every record's delta is 0). */
export function restampBatch(batch: Buffer, timestampMs: number): Buffer {
  const copy = Buffer.from(batch);
  copy.writeBigInt64BE(BigInt(timestampMs), BATCH.BASE_TIMESTAMP);
  copy.writeBigInt64BE(BigInt(timestampMs), BATCH.MAX_TIMESTAMP);
  writeCrc(copy, 0);
  return copy;
}

/**
 * How many records of `recordSize` bytes fit a batch of `batchSize` bytes uncompressed (Kafka's batch.size: a
 * record larger than the batch goes alone), but never more than `limit`.
 */
export function recordsPerBatch(recordSize: number, batchSize: number, limit: number): number {
  const value = Buffer.alloc(recordSize);
  const fits = (n: number): boolean => buildPerfBatch(value, n, 'none', 0).length <= batchSize;
  const perRecord = buildPerfBatch(value, 1, 'none', 0).length - BATCH_HEADER_SIZE;
  let low = 1;
  let high = Math.max(1, Math.min(limit, Math.floor((batchSize - BATCH_HEADER_SIZE) / perRecord)));
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface ProduceRequestsConfig {
  readonly topic: string;
  readonly acks: Acks;
  readonly timeoutMs: number;
  readonly recordSize: number;
  readonly batchSize: number;
  readonly compression: PerfCompression;
  /** No batch holds more records than this (the run's total). */
  readonly maxRecords: number;
}

export class ProduceRequests {
  readonly fullBatch: number;
  readonly #config: ProduceRequestsConfig;
  readonly #clock: Clock;
  readonly #value: Buffer;
  readonly #fullBatch: Buffer;
  readonly #cache = new Map<number, { request: PreparedRequest; stampedAt: number }>();

  constructor(config: ProduceRequestsConfig, clock: Clock) {
    this.#config = config;
    this.#clock = clock;
    this.#value = randomPayload(config.recordSize);
    this.fullBatch = recordsPerBatch(config.recordSize, config.batchSize, config.maxRecords);
    this.#fullBatch = buildPerfBatch(this.#value, this.fullBatch, config.compression, Math.floor(clock.now()));
  }

  /** The Produce request carrying `records` records to `partition` (full batches come from a cache). */
  request(partition: number, records: number): PreparedRequest {
    const now = Math.floor(this.#clock.now());
    if (records !== this.fullBatch) return this.#prepare(partition, buildPerfBatch(this.#value, records, this.#config.compression, now));
    const cached = this.#cache.get(partition);
    if (cached !== undefined && now - cached.stampedAt < RESTAMP_INTERVAL_MS) return cached.request;
    const request = this.#prepare(partition, restampBatch(this.#fullBatch, now));
    this.#cache.set(partition, { request, stampedAt: now });
    return request;
  }

  #prepare(partition: number, batch: Buffer): PreparedRequest {
    const { topic, acks, timeoutMs } = this.#config;
    return prepareProduce(topic, partition, batch, acks, timeoutMs, CLIENT_ID);
  }
}
