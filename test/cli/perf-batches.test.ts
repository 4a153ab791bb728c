import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { ManualClock } from '../../src/util/clock.js';
import { decodeRequest } from '../../src/protocol/codec.js';
import type { ProduceRequest } from '../../src/protocol/apis/produce/index.js';
import { BATCH, BATCH_HEADER_SIZE, buildRecordBatch, COMPRESSION, decodeRecords, readBatchAt } from '../../src/protocol/record-batch.js';
import { countBatches, nextPosition } from '../../src/cli/perf/consumer-perf.js';
import { LatencyHistogram } from '../../src/cli/perf/latency-histogram.js';
import { consumerProgressLine, consumerSummaryLine, errorsText, producerProgressLine, producerSummaryLine } from '../../src/cli/perf/perf-report.js';
import { buildPerfBatch, ProduceRequests, randomPayload, recordsPerBatch, restampBatch } from '../../src/cli/perf/produce-requests.js';

describe('produce batches', () => {
  test('recordsPerBatch fills batch.size bytes and no more', () => {
    const value = Buffer.alloc(100);
    const n = recordsPerBatch(100, 16384, 1_000_000);
    assert.ok(buildPerfBatch(value, n, 'none', 0).length <= 16384);
    assert.ok(buildPerfBatch(value, n + 1, 'none', 0).length > 16384);
    assert.equal(recordsPerBatch(100, 16384, 50), 50, 'never more than the run sends');
    assert.equal(recordsPerBatch(20_000, 16384, 10), 1, 'a record larger than the batch goes alone');
  });

  test('an uncompressed batch holds the value in every record, with no key', () => {
    const value = randomPayload(30);
    assert.match(value.toString('latin1'), /^[A-Z]{30}$/);
    const batch = buildPerfBatch(value, 4, 'none', 1_700_000_000_123);
    const info = readBatchAt(batch, 0);
    assert.equal(info.recordCount, 4);
    assert.equal(info.baseTimestamp, 1_700_000_000_123);
    assert.deepEqual(decodeRecords(batch).map((r) => [r.key, r.value?.toString('latin1'), r.offsetDelta]), [0, 1, 2, 3].map((i) => [null, value.toString('latin1'), i]));
  });

  test('a gzip batch has a valid CRC, the gzip attribute and the uncompressed records inside', () => {
    const value = randomPayload(200);
    const plain = buildPerfBatch(value, 20, 'none', 42);
    const gz = buildPerfBatch(value, 20, 'gzip', 42);
    const info = readBatchAt(gz, 0);
    assert.equal(info.compression, COMPRESSION.gzip);
    assert.equal(info.recordCount, 20);
    assert.equal(info.size, gz.length);
    assert.ok(gz.length < plain.length / 2, `gzip shrinks letters: ${gz.length} vs ${plain.length}`);
    assert.deepEqual(gunzipSync(gz.subarray(BATCH_HEADER_SIZE)), plain.subarray(BATCH_HEADER_SIZE));
  });

  test('restamping copies the batch with new timestamps and a CRC that checks', () => {
    const batch = buildPerfBatch(randomPayload(10), 3, 'gzip', 1000);
    const restamped = restampBatch(batch, 5000);
    const info = readBatchAt(restamped, 0);
    assert.equal(info.baseTimestamp, 5000);
    assert.equal(info.maxTimestamp, 5000);
    assert.equal(readBatchAt(batch, 0).baseTimestamp, 1000, 'the template is untouched');
  });

  test('ProduceRequests reuses a full batch for a second, then restamps it; other sizes are built each time', () => {
    const clock = new ManualClock(1_700_000_000_000);
    const config = { topic: 'perf-t', acks: -1, timeoutMs: 1234, recordSize: 100, batchSize: 1024, compression: 'none', maxRecords: 1000 } as const;
    const requests = new ProduceRequests(config, clock);
    const full = requests.fullBatch;
    const first = requests.request(2, full);
    clock.advance(999);
    assert.equal(requests.request(2, full), first, 'the same encoded request within a second');
    assert.notEqual(requests.request(3, full), first, 'each partition has its own');
    clock.advance(1);
    const second = requests.request(2, full);
    assert.notEqual(second, first);
    const decode = (r: typeof first): ProduceRequest => {
      const frame = Buffer.alloc(8 + r.tail.length);
      frame.writeInt16BE(r.apiKey, 0);
      frame.writeInt16BE(r.apiVersion, 2);
      r.tail.copy(frame, 8);
      return decodeRequest(frame).body as ProduceRequest;
    };
    const body = decode(second);
    assert.equal(body.acks, -1);
    assert.equal(body.timeoutMs, 1234);
    assert.equal(body.topicData[0]?.name, 'perf-t');
    assert.equal(body.topicData[0]?.partitionData[0]?.index, 2);
    const records = body.topicData[0]?.partitionData[0]?.records;
    assert.ok(records instanceof Buffer);
    assert.equal(readBatchAt(records, 0).baseTimestamp, 1_700_000_001_000);
    assert.equal(readBatchAt(records, 0).recordCount, full);
    const small = decode(requests.request(0, 3)).topicData[0]?.partitionData[0]?.records;
    assert.ok(small instanceof Buffer);
    assert.equal(readBatchAt(small, 0).recordCount, 3);
  });
});

describe('counting fetched batches', () => {
  const batchAt = (baseOffset: number, records: number, isControl = false): Buffer =>
    buildRecordBatch({ baseOffset, baseTimestamp: 0, isControl, records: Array.from({ length: records }, () => ({ value: 'v' })) });

  test('whole batches from the position on; a batch cut short at the end is left for the next fetch', () => {
    const a = batchAt(0, 5);
    const b = batchAt(5, 5);
    const c = batchAt(10, 5);
    const partial = batchAt(15, 5).subarray(0, 30);
    const data = Buffer.concat([a, b, c, partial]);
    assert.deepEqual(countBatches(data, 0), { records: 15, bytes: a.length + b.length + c.length, nextPosition: 15 });
    assert.deepEqual(countBatches(data, 7), { records: 8, bytes: b.length + c.length, nextPosition: 15 });
    assert.deepEqual(countBatches(Buffer.concat([a, batchAt(5, 1, true), c]), 0), { records: 10, bytes: a.length + c.length, nextPosition: 15 });
  });

  test('nextPosition, from the headers alone, reaches the position countBatches reaches after checking them', () => {
    const a = batchAt(0, 5);
    const b = batchAt(5, 5);
    const c = batchAt(10, 5);
    const cases: [Buffer, number][] = [
      [Buffer.concat([a, b, c]), 0],
      [Buffer.concat([a, b, c, batchAt(15, 5).subarray(0, 30)]), 0],
      [Buffer.concat([a, b, c, batchAt(15, 5).subarray(0, 70)]), 7],
      [Buffer.concat([a, batchAt(5, 1, true), c]), 3],
      [b, 12],
      [Buffer.alloc(0), 4],
    ];
    for (const [data, position] of cases) assert.equal(nextPosition(data, position), countBatches(data, position).nextPosition, `from ${position} in ${data.length} bytes`);
    assert.equal(nextPosition(Buffer.concat([a, b, c]), 7), 15);
  });

  test('a complete batch with a bad CRC is an error', () => {
    const bad = Buffer.concat([batchAt(0, 3), batchAt(3, 3)]);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 0xff;
    assert.throws(() => countBatches(bad, 0), /CRC mismatch/);
    const wrongMagic = batchAt(0, 2);
    wrongMagic.writeInt8(1, BATCH.MAGIC);
    assert.throws(() => countBatches(wrongMagic, 0), /magic 1/);
  });
});

describe('perf report lines', () => {
  test('producer progress and summary, in the shape of kafka-producer-perf-test', () => {
    const w = { records: 50_000, bytes: 5_000_000, elapsedMs: 5000, avgLatencyMs: 3.25, maxLatencyMs: 40 };
    assert.equal(producerProgressLine(w, true), '50000 records sent, 10000.0 records/sec (0.95 MB/sec), 3.3 ms avg latency, 40.0 ms max latency.');
    assert.equal(producerProgressLine(w, false), '50000 records sent, 10000.0 records/sec (0.95 MB/sec).');
    const h = new LatencyHistogram();
    h.record(2, 900);
    h.record(10, 98);
    h.record(50, 2);
    assert.equal(
      producerSummaryLine({ records: 1000, bytes: 1024 * 1024, elapsedMs: 500, latency: h }),
      '1000 records sent, 2000.0 records/sec (2.00 MB/sec), 2.88 ms avg latency, 50.00 ms max latency, 2.0 ms 50th, 10.0 ms 95th, 10.0 ms 99th, 49.9 ms 99.9th.', // 50 ms lies in the bucket 49.664-50.175 ms
    );
    assert.equal(producerSummaryLine({ records: 10, bytes: 10, elapsedMs: 0, latency: undefined }), '10 records sent, 0.0 records/sec (0.00 MB/sec), latency not measured (acks=0).');
  });

  test('consumer progress and summary', () => {
    assert.equal(consumerProgressLine({ records: 10, bytes: 2048, elapsedMs: 2000, avgLatencyMs: NaN, maxLatencyMs: NaN }), '10 records consumed, 5.0 records/sec (0.00 MB/sec).');
    assert.equal(
      consumerSummaryLine({ records: 20_000, bytes: 2 * 1024 * 1024, elapsedMs: 1000, firstRecordMs: 12.4, partitions: 3 }),
      '20000 records consumed, 2.00 MB, 20000.0 records/sec (2.00 MB/sec), 12 ms to first record, 1.00 s from 3 partitions.',
    );
    assert.match(consumerSummaryLine({ records: 0, bytes: 0, elapsedMs: 1000, firstRecordMs: undefined, partitions: 1 }), /, no record, /);
  });

  test('errors by count, then name', () => {
    assert.equal(errorsText(new Map([['B', 1], ['A', 1], ['C', 5]])), 'C=5, A=1, B=1');
    assert.equal(errorsText(new Map()), '');
  });
});
