import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/util/clock.js';
import { OffsetOutOfRangeError } from '../../src/storage/storage-errors.js';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import { batchHeaders, buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

const leader = { assignOffsets: true, leaderEpoch: 7 } as const;

async function appendN(log: PartitionLog, n: number, recordCount = 3, payloadSize = 100): Promise<void> {
  for (let i = 0; i < n; i++) {
    await log.append(buildBatch({ recordCount, payload: Buffer.alloc(payloadSize, i & 0xff) }), leader);
  }
}

describe('PartitionLog append and read', () => {
  const tmp = useTempDir();

  test('assigns offsets and the leader epoch in the header, keeping the CRC valid', async () => {
    const root = tmp();
    const log = await openLog(root);
    const r1 = await log.append(buildBatch({ recordCount: 5, baseOffset: 999 }), leader);
    const r2 = await log.append(buildBatch({ recordCount: 2 }), leader);
    assert.deepEqual([r1.firstOffset, r1.lastOffset, r2.firstOffset, r2.lastOffset], [0, 4, 5, 6]);
    assert.equal(r1.logAppendTime, -1);
    assert.equal(log.logEndOffset, 7);
    const read = await log.read(0, { maxBytes: 1 << 20 });
    assert.ok(read.records);
    assert.equal(read.firstBatchOffset, 0);
    const headers = batchHeaders(read.records);
    assert.deepEqual(
      headers.map((h) => [h.baseOffset, h.lastOffset, h.epoch, h.crcOk]),
      [
        [0, 4, 7, true],
        [5, 6, 7, true],
      ],
    );
    await log.close();
  });

  test('LogAppendTime sets maxTimestamp and the timestamp-type bit with a recomputed CRC', async () => {
    const root = tmp();
    const log = await openLog(root);
    const result = await log.append(buildBatch({ recordCount: 2, baseTimestamp: 5 }), { ...leader, logAppendTime: 123456 });
    assert.equal(result.logAppendTime, 123456);
    assert.equal(result.maxTimestamp, 123456);
    const { records } = await log.read(0, { maxBytes: 4096 });
    assert.ok(records);
    assert.equal(records.readInt16BE(21) & 0x08, 0x08);
    assert.deepEqual(
      batchHeaders(records).map((h) => [h.maxTimestamp, h.crcOk]),
      [[123456, true]],
    );
    await log.close();
  });

  test('reads start at the batch containing the offset; the log end offset reads empty; outside is out of range', async () => {
    const root = tmp();
    const log = await openLog(root);
    await appendN(log, 4, 10);
    const read = await log.read(25, { maxBytes: 1 << 20 });
    assert.equal(read.firstBatchOffset, 20);
    assert.deepEqual(
      batchHeaders(read.records ?? Buffer.alloc(0)).map((h) => h.baseOffset),
      [20, 30],
    );
    assert.deepEqual(await log.read(40, { maxBytes: 1 << 20 }), { records: null, firstBatchOffset: -1 });
    await assert.rejects(log.read(41, { maxBytes: 100 }), OffsetOutOfRangeError);
    await assert.rejects(log.read(-1, { maxBytes: 100 }), (err: unknown) => err instanceof OffsetOutOfRangeError && err.kafkaError === 'OFFSET_OUT_OF_RANGE');
    await log.close();
  });

  test('maxOffset excludes batches at or beyond the high watermark', async () => {
    const root = tmp();
    const log = await openLog(root);
    await appendN(log, 4, 10);
    const read = await log.read(0, { maxBytes: 1 << 20, maxOffset: 20 });
    assert.deepEqual(
      batchHeaders(read.records ?? Buffer.alloc(0)).map((h) => h.baseOffset),
      [0, 10],
    );
    assert.deepEqual(await log.read(20, { maxBytes: 1 << 20, maxOffset: 20 }), { records: null, firstBatchOffset: -1 });
    await log.close();
  });

  test('maxBytes limits whole batches; minOneBatch returns an oversized first batch whole', async () => {
    const root = tmp();
    const log = await openLog(root);
    await appendN(log, 3, 1, 1000); // 1061-byte batches
    const two = await log.read(0, { maxBytes: 2500 });
    assert.equal(two.records?.length, 2122);
    const none = await log.read(0, { maxBytes: 500 });
    assert.equal(none.records, null);
    const one = await log.read(1, { maxBytes: 500, minOneBatch: true });
    assert.equal(one.records?.length, 1061);
    assert.equal(one.firstBatchOffset, 1);
    await log.close();
  });

  test('concurrent appends are coalesced, in order, with contiguous offsets', async () => {
    const root = tmp();
    const log = await openLog(root, { indexIntervalBytes: 512 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => log.append(buildBatch({ recordCount: (i % 3) + 1, payload: Buffer.from(`value-${i}`) }), leader)),
    );
    let expected = 0;
    for (const [i, r] of results.entries()) {
      assert.equal(r.firstOffset, expected);
      assert.equal(r.lastOffset, expected + (i % 3));
      expected = r.lastOffset + 1;
    }
    const { records } = await log.read(0, { maxBytes: 1 << 20 });
    assert.ok(records);
    const headers = batchHeaders(records);
    assert.equal(headers.length, 200);
    for (const [i, h] of headers.entries()) {
      assert.equal(h.baseOffset, results[i]?.firstOffset);
      assert.equal(records.subarray(records.indexOf(`value-${i}`)).toString('utf8', 0, `value-${i}`.length), `value-${i}`);
    }
    await log.close();
  });

  test('replicated appends keep their offsets and must not go backwards', async () => {
    const root = tmp();
    const log = await openLog(root);
    const follower = { assignOffsets: false, leaderEpoch: 3 } as const;
    const r = await log.append(Buffer.concat([buildBatch({ baseOffset: 0, recordCount: 2, partitionLeaderEpoch: 2 }), buildBatch({ baseOffset: 5, recordCount: 1 })]), follower);
    assert.deepEqual([r.firstOffset, r.lastOffset], [0, 5]);
    assert.equal(log.logEndOffset, 6);
    await assert.rejects(log.append(buildBatch({ baseOffset: 4 }), follower), /less than the next offset 6/);
    const { records } = await log.read(3, { maxBytes: 4096 });
    assert.deepEqual(
      batchHeaders(records ?? Buffer.alloc(0)).map((h) => [h.baseOffset, h.epoch]),
      [[5, -1]],
    );
    await log.close();
  });

  test('a leader batch larger than max.message.bytes is refused with MESSAGE_TOO_LARGE and appends nothing', async () => {
    const root = tmp();
    const log = await openLog(root, { maxMessageBytes: 500 });
    await assert.rejects(log.append(buildBatch({ recordCount: 1, payload: Buffer.alloc(600) }), leader), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'MESSAGE_TOO_LARGE');
    assert.equal(log.logEndOffset, 0);
    await log.append(buildBatch({ recordCount: 1, payload: Buffer.alloc(100) }), leader);
    assert.equal(log.logEndOffset, 1);
    await log.close();
  });

  test('a replicated batch with a bad CRC is refused with CORRUPT_MESSAGE and appends nothing', async () => {
    const root = tmp();
    const log = await openLog(root);
    const bad = buildBatch({ baseOffset: 0, recordCount: 2 });
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0xff, bad.length - 1);
    await assert.rejects(log.append(bad, { assignOffsets: false, leaderEpoch: 1 }), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'CORRUPT_MESSAGE');
    assert.equal(log.logEndOffset, 0);
    await log.close();
  });

  test('truncateFullyAndStartAt the base offset of an existing segment keeps what is appended afterwards', async () => {
    const root = tmp();
    const log = await openLog(root);
    await appendN(log, 3, 1, 50);
    await log.truncateFullyAndStartAt(0);
    await appendN(log, 2, 1, 50);
    await log.close();
    const reopened = await openLog(root);
    assert.equal(reopened.logEndOffset, 2);
    await reopened.close();
  });

  test('rolls segments by size and by age, named by the 20-digit base offset', async () => {
    const root = tmp();
    const clock = new ManualClock();
    const log = await openLog(root, { segmentBytes: 1000, segmentMs: 60_000 }, { clock });
    await appendN(log, 3, 2, 300); // 361 bytes each: the third does not fit
    assert.equal(log.activeSegmentBaseOffset, 4);
    await appendN(log, 1, 2, 300);
    clock.advance(60_001);
    await appendN(log, 1, 2, 10);
    assert.deepEqual(log.segmentBaseOffsets, [0, 4, 8]);
    const files = (await fs.promises.readdir(path.join(root, 't-0'))).sort();
    assert.deepEqual(files, [
      '00000000000000000000.index',
      '00000000000000000000.log',
      '00000000000000000000.timeindex',
      '00000000000000000004.index',
      '00000000000000000004.log',
      '00000000000000000004.timeindex',
      '00000000000000000008.index',
      '00000000000000000008.log',
      '00000000000000000008.timeindex',
      'leader-epoch-checkpoint',
    ]);
    assert.equal((await fs.promises.stat(path.join(root, 't-0', '00000000000000000000.log'))).size, 722);
    await log.close();
  });

  test('index lookups find every offset across many segments, and the index files are exact', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 4000, indexIntervalBytes: 300 });
    for (let i = 0; i < 120; i++) await log.append(buildBatch({ recordCount: (i % 4) + 1, payload: Buffer.alloc(90 + (i % 7) * 10, i) }), leader);
    assert.ok(log.segmentBaseOffsets.length > 5);
    const end = log.logEndOffset;
    for (let offset = 0; offset < end; offset++) {
      const { records, firstBatchOffset } = await log.read(offset, { maxBytes: 1 });
      assert.equal(records, null);
      assert.equal(firstBatchOffset, -1);
      const one = await log.read(offset, { maxBytes: 1, minOneBatch: true });
      const [h] = batchHeaders(one.records ?? Buffer.alloc(0));
      assert.ok(h && h.baseOffset <= offset && offset <= h.lastOffset, `offset ${offset}`);
    }
    for (const base of log.segmentBaseOffsets) {
      const stem = path.join(root, 't-0', String(base).padStart(20, '0'));
      const index = await fs.promises.readFile(`${stem}.index`);
      const time = await fs.promises.readFile(`${stem}.timeindex`);
      assert.equal(index.length % 8, 0);
      assert.equal(time.length % 12, 0);
      if (base !== log.activeSegmentBaseOffset) assert.ok(index.length >= 8, 'older segments have index entries');
    }
    await log.close();
  });

  test('offsetForTimestamp finds the first record at or after a timestamp', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 600, indexIntervalBytes: 100 });
    for (let i = 0; i < 20; i++) {
      const records = [0, 10, 20].map((d) => ({ timestampDelta: d, value: Buffer.alloc(50, i) }));
      await log.append(buildBatch({ records, baseTimestamp: 1000 + i * 100 }), leader);
    }
    assert.deepEqual(await log.offsetForTimestamp(0), { offset: 0, timestamp: 1000 });
    assert.deepEqual(await log.offsetForTimestamp(1505), { offset: 16, timestamp: 1510 });
    assert.deepEqual(await log.offsetForTimestamp(1520), { offset: 17, timestamp: 1520 });
    assert.deepEqual(await log.offsetForTimestamp(1521), { offset: 18, timestamp: 1600 });
    assert.deepEqual(await log.offsetForTimestamp(2920), { offset: 59, timestamp: 2920 });
    assert.equal(await log.offsetForTimestamp(2921), null);
    await log.close();
  });

  test('reopens after a clean shutdown with the same contents and continues appending', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 2000, indexIntervalBytes: 200 });
    await appendN(log, 30, 2, 100);
    const before = await log.read(0, { maxBytes: 1 << 20 });
    await log.close();
    const reopened = await openLog(root, { segmentBytes: 2000, indexIntervalBytes: 200 });
    assert.equal(reopened.logEndOffset, 60);
    assert.deepEqual(await reopened.read(0, { maxBytes: 1 << 20 }), before);
    const r = await reopened.append(buildBatch({ recordCount: 1 }), leader);
    assert.equal(r.firstOffset, 60);
    await reopened.close();
  });

  test('reads running alongside appends only ever see whole, valid batches', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 20_000, indexIntervalBytes: 1000 });
    const appends: Promise<unknown>[] = [];
    let checked = 0;
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 5; i++) appends.push(log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(300, round) }), leader));
      // The previous round's first append has landed (so reads see data) while this round's are still in flight.
      if (round > 0) await appends[(round - 1) * 5];
      const end = log.logEndOffset;
      for (const offset of [0, Math.max(0, end - 3), end]) {
        const { records } = await log.read(offset, { maxBytes: 5000, minOneBatch: true });
        for (const h of batchHeaders(records ?? Buffer.alloc(0))) {
          assert.ok(h.crcOk);
          assert.ok(h.lastOffset < log.logEndOffset);
          checked++;
        }
      }
    }
    await Promise.all(appends);
    assert.ok(checked > 0, 'reads overlapped appends');
    let all = 0;
    for (let offset = 0; offset < log.logEndOffset; ) {
      const { records } = await log.read(offset, { maxBytes: 5000, minOneBatch: true });
      const headers = batchHeaders(records ?? Buffer.alloc(0));
      for (const h of headers) assert.ok(h.crcOk);
      all += headers.length;
      offset = (headers.at(-1)?.lastOffset ?? offset) + 1;
    }
    assert.equal(all, 200, 'every appended batch reads back whole');
    await log.close();
  });

  test('an I/O failure takes only that partition offline with KAFKA_STORAGE_ERROR', async () => {
    const root = tmp();
    const broken = await openLog(root, { segmentBytes: 500 });
    const healthy = await openLog(root, {}, { dir: path.join(root, 'u-0'), topic: 'u' });
    await broken.append(buildBatch({ payload: Buffer.alloc(400) }), leader);
    await fs.promises.rm(path.join(root, 't-0'), { recursive: true }); // the next roll cannot create its files
    const isStorageError = (err: unknown): boolean => (err as { kafkaError?: string }).kafkaError === 'KAFKA_STORAGE_ERROR';
    await assert.rejects(broken.append(buildBatch({ payload: Buffer.alloc(400) }), leader), isStorageError);
    assert.equal(broken.isOffline, true);
    await assert.rejects(broken.append(buildBatch(), leader), isStorageError);
    await assert.rejects(broken.read(0, { maxBytes: 100 }), isStorageError);
    assert.equal((await healthy.append(buildBatch(), leader)).firstOffset, 0);
    await assert.rejects(broken.close(), isStorageError);
    await healthy.close();
  });
});
