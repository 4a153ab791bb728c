import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TailBudget, TailCache } from '../../src/storage/tail-cache.js';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import { batchHeaders, buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

const leader = { assignOffsets: true, leaderEpoch: 3 } as const;

/**
 * A leader append of `counts.length` batches with these record counts, offsets from `base`, in a buffer of its own
 * (as a produce request's frame is; small Buffers from Node's shared pool are not kept, see the last TailCache test).
 */
function append(base: number, counts: readonly number[], payloadSize = 50): Buffer {
  let next = base;
  const joined = Buffer.concat(
    counts.map((recordCount) => {
      const b = buildBatch({ baseOffset: next, recordCount, payload: Buffer.alloc(payloadSize, next & 0xff) });
      next += recordCount;
      return b;
    }),
  );
  const own = Buffer.allocUnsafeSlow(joined.length);
  joined.copy(own);
  return own;
}

const offsets = (records: Buffer | null): number[][] => (records === null ? [] : batchHeaders(records).map((h) => [h.baseOffset, h.lastOffset]));

describe('TailCache', () => {
  test('serves whole batches from the one containing the offset, across appends, bounded by maxOffset and maxBytes', () => {
    const cache = new TailCache(1 << 20);
    const a = append(10, [2, 3]); // 10-11, 12-14
    const b = append(15, [1, 4]); // 15, 16-19
    cache.add(10, 15, a);
    cache.add(15, 20, b);
    assert.equal(cache.baseOffset, 10);
    assert.deepEqual(offsets(cache.read(13, 20, 1 << 20, false)?.records ?? null), [[12, 14], [15, 15], [16, 19]]);
    assert.equal(cache.read(13, 20, 1 << 20, false)?.firstBatchOffset, 12);
    // A batch reaching maxOffset (the high watermark) is left out, as on disk.
    assert.deepEqual(offsets(cache.read(10, 19, 1 << 20, false)?.records ?? null), [[10, 11], [12, 14], [15, 15]]);
    // maxBytes: whole batches that fit; the first one whole only with minOneBatch.
    const first = (a.readInt32BE(8) + 12);
    assert.deepEqual(offsets(cache.read(10, 20, first + 1, false)?.records ?? null), [[10, 11]]);
    assert.deepEqual(cache.read(10, 20, 5, false), { records: null, firstBatchOffset: -1 });
    assert.deepEqual(offsets(cache.read(10, 20, 5, true)?.records ?? null), [[10, 11]]);
    // One append alone is a view of the written buffer, not a copy.
    const single = cache.read(15, 20, 1 << 20, false)?.records;
    assert.ok(single);
    assert.equal(single.buffer, b.buffer);
  });

  test('offsets it does not hold are misses: below its first append, at or past its end, or after clear', () => {
    const cache = new TailCache(1 << 20);
    assert.equal(cache.read(0, 10, 100, true), undefined);
    cache.add(10, 15, append(10, [5]));
    assert.equal(cache.read(9, 15, 1 << 20, true), undefined);
    assert.equal(cache.read(15, 16, 1 << 20, true), undefined);
    cache.clear();
    assert.equal(cache.read(10, 15, 1 << 20, true), undefined);
    assert.equal(cache.bytes, 0);
  });

  test('an append that does not follow the last starts over; the high watermark and the byte bound release old appends', () => {
    const cache = new TailCache(1000);
    cache.add(0, 2, append(0, [2]));
    cache.add(5, 7, append(5, [2]));
    assert.equal(cache.baseOffset, 5);
    assert.equal(cache.read(0, 7, 1 << 20, true), undefined);
    cache.add(7, 9, append(7, [2]));
    cache.releaseBelow(8);
    assert.equal(cache.baseOffset, 7, 'the append below the high watermark goes, the one it is inside stays');
    cache.releaseBelow(9);
    assert.equal(cache.baseOffset, undefined);
    assert.equal(cache.bytes, 0);
    const big = append(9, [1], 400); // 461 bytes
    cache.add(9, 10, big);
    cache.add(10, 11, append(10, [1], 400));
    cache.add(11, 12, append(11, [1], 400));
    assert.equal(cache.baseOffset, 10, 'the oldest append went over the byte bound');
    assert.ok(cache.bytes <= 1000);
    cache.add(12, 13, append(12, [1], 2000));
    assert.equal(cache.baseOffset, undefined, 'an append larger than the bound is not kept, and what came before no longer leads to the end');
  });
});

describe('TailCache bounds', () => {
  test('caches sharing a budget keep no more than it together, and give bytes back when they let appends go', () => {
    const budget = new TailBudget(1000);
    const a = new TailCache(1000, budget);
    const b = new TailCache(1000, budget);
    a.add(0, 1, append(0, [1], 400)); // 461 bytes
    b.add(0, 1, append(0, [1], 400));
    assert.equal(budget.used, 922);
    b.add(1, 2, append(1, [1], 400));
    assert.equal(b.baseOffset, undefined, 'over the shared budget: b keeps nothing rather than a gap');
    assert.equal(budget.used, 461);
    a.releaseBelow(1);
    assert.equal(budget.used, 0);
  });

  test('an append that is a small part of a larger buffer is not kept (it would hold the whole buffer)', () => {
    const cache = new TailCache(1 << 20);
    const frame = Buffer.allocUnsafeSlow(64 * 1024);
    const batch = append(0, [2]);
    batch.copy(frame, 100);
    cache.add(0, 2, frame.subarray(100, 100 + batch.length));
    assert.equal(cache.baseOffset, undefined);
    cache.add(0, 2, batch);
    assert.equal(cache.baseOffset, 0);
  });
});

describe('PartitionLog reads at the log end from memory', () => {
  const tmp = useTempDir();

  /** Appends each planned append as leader; returns the buffers appended. */
  async function appendAll(log: PartitionLog, plan: readonly number[][]): Promise<Buffer[]> {
    const written: Buffer[] = [];
    for (const counts of plan) {
      const b = append(0, counts);
      written.push(b);
      await log.append(b, leader);
    }
    return written;
  }

  const fromBuffers = (records: Buffer | null, written: readonly Buffer[]): boolean => records !== null && written.some((b) => b.buffer === records.buffer);

  test('every read answered from memory equals the same read from the files after a reopen, across segment rolls', async () => {
    const root = tmp();
    const plan = [[1], [2, 3], [4], [1, 1, 1], [5], [2], [3, 1], [1], [2, 2], [6]];
    // Small segments: several rolls, so a read from memory must stop at a segment's end as a file read does.
    const config = { segmentBytes: 600 };
    const log = await openLog(root, config);
    const written = await appendAll(log, plan);
    assert.ok(log.segments.length >= 3, `rolled (${log.segments.length} segments)`);
    const end = log.logEndOffset;
    const cases: [number, number, number, boolean][] = [];
    for (let start = 0; start < end; start++) {
      for (const maxBytes of [0, 70, 200, 1 << 20]) cases.push([start, Math.min(end, start + 7), maxBytes, maxBytes === 0]);
    }
    const fromMemory = [];
    for (const [start, maxOffset, maxBytes, minOneBatch] of cases) fromMemory.push(await log.read(start, { maxBytes, maxOffset, minOneBatch }));
    assert.ok(fromMemory.some((r) => fromBuffers(r.records, written)), 'some reads were served from the appended buffers');
    await log.close();
    const reopened = await openLog(root, config);
    try {
      for (const [i, [start, maxOffset, maxBytes, minOneBatch]] of cases.entries()) {
        const disk = await reopened.read(start, { maxBytes, maxOffset, minOneBatch });
        assert.deepEqual(offsets(fromMemory[i]?.records ?? null), offsets(disk.records), `read ${start} < ${maxOffset}, ${maxBytes} bytes`);
        assert.equal(fromMemory[i]?.firstBatchOffset, disk.firstBatchOffset);
        if (disk.records !== null) assert.ok(fromMemory[i]?.records?.equals(disk.records));
      }
    } finally {
      await reopened.close();
    }
  });

  test('appends are served from memory until the high watermark passes them, then from the file', async () => {
    const log = await openLog(tmp());
    try {
      const written = await appendAll(log, [[2], [3]]);
      // One batch per read, so a read from memory is a view of one appended buffer (several would be joined).
      const first = { maxBytes: 1, minOneBatch: true };
      assert.ok(fromBuffers((await log.read(0, first)).records, written));
      log.updateHighWatermark(2);
      assert.ok(!fromBuffers((await log.read(0, first)).records, written), 'the first append is let go');
      assert.ok(fromBuffers((await log.read(2, { maxBytes: 1 << 20 })).records, written), 'the second is still in memory');
      log.updateHighWatermark(5);
      const afterAll = await log.read(2, { maxBytes: 1 << 20 });
      assert.ok(!fromBuffers(afterAll.records, written));
      assert.deepEqual(offsets(afterAll.records), [[2, 4]]);
    } finally {
      await log.close();
    }
  });

  test('a replica that stops leading, or starts following, reads everything from the files', async () => {
    const log = await openLog(tmp());
    try {
      const written = await appendAll(log, [[2]]);
      log.forgetTail();
      assert.ok(!fromBuffers((await log.read(0, { maxBytes: 1 << 20 })).records, written), 'forgotten on loss of leadership');
      const again = await appendAll(log, [[2]]);
      assert.ok(fromBuffers((await log.read(2, { maxBytes: 1 << 20 })).records, again));
      // A replicated batch after the leader appends: the cache no longer reaches the log end and is dropped, so a
      // read from 0 returns every batch, as the files do.
      await log.append(buildBatch({ baseOffset: 4, recordCount: 2, partitionLeaderEpoch: 4 }), { assignOffsets: false, leaderEpoch: 4 });
      const all = await log.read(2, { maxBytes: 1 << 20 });
      assert.deepEqual(offsets(all.records), [[2, 3], [4, 5]]);
      assert.ok(!fromBuffers(all.records, again));
    } finally {
      await log.close();
    }
  });

  test('a log gives its share of the shared budget back when it stops leading and when it closes', async () => {
    const budget = new TailBudget(1 << 20);
    const log = await openLog(tmp(), {}, { tailBudget: budget });
    try {
      await appendAll(log, [[2, 3]]);
      assert.ok(budget.used > 0, 'leader appends are held');
      log.forgetTail();
      assert.equal(budget.used, 0, 'forgotten on loss of leadership');
      await appendAll(log, [[2]]);
      assert.ok(budget.used > 0);
    } finally {
      await log.close();
    }
    assert.equal(budget.used, 0, 'a closed (or deleted) log holds nothing');
  });

  test('after a truncation, batches replicated again at the same offsets are read, not the old leader appends', async () => {
    const log = await openLog(tmp());
    try {
      await log.append(buildBatch({ recordCount: 4, payload: Buffer.alloc(30, 0xaa) }), leader);
      await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(30, 0xbb) }), leader);
      assert.equal((await log.read(4, { maxBytes: 1 << 20 })).records?.at(-1), 0xbb);
      // Now a follower: its divergent tail goes, and the new leader's batch at 4-5 is appended as replicated (a
      // replicated append drops what the cache held, and so does the truncation before it).
      await log.truncateTo(4);
      await log.append(buildBatch({ baseOffset: 4, recordCount: 2, partitionLeaderEpoch: 4, payload: Buffer.alloc(30, 0xcc) }), { assignOffsets: false, leaderEpoch: 4 });
      const again = await log.read(4, { maxBytes: 1 << 20 });
      assert.deepEqual(offsets(again.records), [[4, 5]]);
      assert.equal(again.records?.at(-1), 0xcc);
      assert.equal(batchHeaders(again.records as Buffer)[0]?.epoch, 4);
    } finally {
      await log.close();
    }
  });
});
