import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TailCache } from '../../src/storage/tail-cache.js';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import { batchHeaders, buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

const leader = { assignOffsets: true, leaderEpoch: 3 } as const;

/** A leader append of `counts.length` batches with these record counts, offsets from `base`. */
function append(base: number, counts: readonly number[], payloadSize = 50): Buffer {
  let next = base;
  return Buffer.concat(
    counts.map((recordCount) => {
      const b = buildBatch({ baseOffset: next, recordCount, payload: Buffer.alloc(payloadSize, next & 0xff) });
      next += recordCount;
      return b;
    }),
  );
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

describe('PartitionLog reads at the log end from memory', () => {
  const tmp = useTempDir();

  async function appendAll(log: PartitionLog, sizes: readonly number[][]): Promise<void> {
    for (const counts of sizes) await log.append(append(0, counts), leader);
  }

  test('every read answered from memory equals the same read from the files after a reopen', async () => {
    const root = tmp();
    const plan = [[1], [2, 3], [4], [1, 1, 1], [5]];
    const log = await openLog(root);
    await appendAll(log, plan);
    const end = log.logEndOffset;
    const cases: [number, number, number, boolean][] = [];
    for (let start = 0; start < end; start++) {
      for (const maxBytes of [0, 70, 200, 1 << 20]) cases.push([start, Math.min(end, start + 7), maxBytes, maxBytes === 0]);
    }
    const fromMemory = [];
    for (const [start, maxOffset, maxBytes, minOneBatch] of cases) fromMemory.push(await log.read(start, { maxBytes, maxOffset, minOneBatch }));
    await log.close();
    const reopened = await openLog(root);
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

  test('after a truncation, batches replicated again at the same offsets are read, not the old leader appends', async () => {
    const log = await openLog(tmp());
    try {
      await log.append(buildBatch({ recordCount: 4, payload: Buffer.alloc(30, 0xaa) }), leader);
      await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(30, 0xbb) }), leader);
      assert.equal((await log.read(4, { maxBytes: 1 << 20 })).records?.at(-1), 0xbb);
      // Now a follower: its divergent tail goes, and the new leader's batch at 4-5 is appended as replicated
      // (such appends are not kept in memory, so nothing but the truncation can retire the old ones).
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
