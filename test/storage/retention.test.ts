import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/util/clock.js';
import { OffsetOutOfRangeError } from '../../src/storage/storage-errors.js';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import { batchHeaders, buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

const leader = { assignOffsets: true, leaderEpoch: 0 } as const;

/** Batches of 2 records, 261 bytes each, so 3 per 800-byte segment. */
async function fill(log: PartitionLog, batches: number, timestamp: (i: number) => number): Promise<void> {
  for (let i = 0; i < batches; i++) {
    await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(200, i), baseTimestamp: timestamp(i) }), leader);
  }
}

async function logFiles(root: string): Promise<string[]> {
  return (await fs.promises.readdir(path.join(root, 't-0'))).filter((f) => f.endsWith('.log')).sort();
}

describe('retention, deleteRecordsBefore and truncation', () => {
  const tmp = useTempDir();

  test('retention by time deletes segments whose largest timestamp is too old', async () => {
    const root = tmp();
    const clock = new ManualClock(1_000_000);
    const log = await openLog(root, { segmentBytes: 800, retentionMs: 10_000, fileDeleteDelayMs: 5000 }, { clock });
    await fill(log, 9, (i) => (i < 6 ? 100_000 + i : 995_000 + i)); // segments [0,6) [6,12) old, [12,18) recent
    assert.deepEqual(log.segmentBaseOffsets, [0, 6, 12]);
    assert.equal(await log.deleteOldSegments(clock.now()), 2);
    assert.deepEqual(log.segmentBaseOffsets, [12]);
    assert.equal(log.logStartOffset, 12);
    await assert.rejects(log.read(0, { maxBytes: 1000 }), OffsetOutOfRangeError);
    assert.equal((await log.read(12, { maxBytes: 1000 })).firstBatchOffset, 12);
    // Kafka's delayed delete: renamed now, removed after file.delete.delay.ms.
    assert.ok((await fs.promises.readdir(path.join(root, 't-0'))).includes('00000000000000000000.log.deleted'));
    clock.advance(5001);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await logFiles(root), ['00000000000000000012.log']);
    assert.equal(await log.deleteOldSegments(clock.now()), 0);
    await log.close();
  });

  test('an expired active segment is deleted by rolling first', async () => {
    const root = tmp();
    const clock = new ManualClock(1_000_000);
    const log = await openLog(root, { segmentBytes: 800, retentionMs: 10_000 }, { clock });
    await fill(log, 4, () => 100_000);
    assert.equal(await log.deleteOldSegments(clock.now()), 2);
    assert.deepEqual(log.segmentBaseOffsets, [8]);
    assert.equal(log.logStartOffset, 8);
    assert.equal(log.logEndOffset, 8);
    assert.equal(log.size, 0);
    assert.equal((await log.append(buildBatch(), leader)).firstOffset, 8);
    await log.close();
  });

  test('retention by size deletes the oldest segments beyond retention.bytes', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800, retentionBytes: 1500, retentionMs: -1 });
    await fill(log, 12, () => 1);
    assert.deepEqual(log.segmentBaseOffsets, [0, 6, 12, 18]);
    assert.equal(log.size, 12 * 261);
    // Kafka deletes only while what remains stays at or above retention.bytes.
    assert.equal(await log.deleteOldSegments(0), 2);
    assert.deepEqual(log.segmentBaseOffsets, [12, 18]);
    assert.equal(log.size, 6 * 261);
    await log.close();
  });

  test('compact-only topics keep everything', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800, retentionBytes: 100, retentionMs: 0, cleanupPolicy: ['compact'] });
    // Replicated appends: a leader append to a compacted log would decode these keyless filler records and refuse them.
    for (let i = 0; i < 6; i++) {
      await log.append(buildBatch({ baseOffset: 2 * i, recordCount: 2, payload: Buffer.alloc(200, i), baseTimestamp: 1 }), { assignOffsets: false, leaderEpoch: 0 });
    }
    assert.equal(await log.deleteOldSegments(Date.now()), 0);
    assert.deepEqual(log.segmentBaseOffsets, [0, 6]);
    await log.close();
  });

  test('retention never passes the high watermark', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800, retentionMs: 0 });
    await fill(log, 9, () => 1);
    log.updateHighWatermark(7);
    assert.equal(await log.deleteOldSegments(Date.now()), 1);
    assert.deepEqual(log.segmentBaseOffsets, [6, 12]);
    await log.close();
  });

  test('deleteRecordsBefore raises the log start offset and drops segments wholly below it', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800 });
    await fill(log, 9, () => 1);
    assert.equal(await log.deleteRecordsBefore(7), 7);
    assert.equal(log.logStartOffset, 7);
    assert.deepEqual(log.segmentBaseOffsets, [6, 12]);
    await assert.rejects(log.read(6, { maxBytes: 1000 }), OffsetOutOfRangeError);
    const { firstBatchOffset } = await log.read(7, { maxBytes: 1000 });
    assert.equal(firstBatchOffset, 6); // the batch containing 7
    await assert.rejects(log.deleteRecordsBefore(19), OffsetOutOfRangeError);
    assert.equal(await log.deleteRecordsBefore(18), 18);
    assert.deepEqual(log.segmentBaseOffsets, [12]);
    await log.close();
    const reopened = await openLog(root, { segmentBytes: 800 }, { logStartOffset: 18 });
    assert.equal(reopened.logStartOffset, 18);
    await reopened.close();
  });

  test('truncateTo drops the batch containing the offset and everything after, across segments', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800, indexIntervalBytes: 100 });
    await fill(log, 9, (i) => 1000 + i);
    assert.equal(await log.truncateTo(18), false);
    assert.equal(await log.truncateTo(9), true);
    assert.deepEqual(log.segmentBaseOffsets, [0, 6]);
    assert.equal(log.logEndOffset, 8);
    const { records } = await log.read(6, { maxBytes: 1 << 20 });
    assert.deepEqual(
      batchHeaders(records ?? Buffer.alloc(0)).map((h) => h.baseOffset),
      [6],
    );
    assert.equal((await log.append(buildBatch({ recordCount: 2 }), leader)).firstOffset, 8);
    assert.deepEqual(await log.offsetForTimestamp(1003), { offset: 6, timestamp: 1003 });
    assert.deepEqual(await log.offsetForTimestamp(1004), { offset: 8, timestamp: 1_700_000_000_000 });
    await log.close();
    const reopened = await openLog(root, { segmentBytes: 800, indexIntervalBytes: 100 });
    assert.equal(reopened.logEndOffset, 10);
    await reopened.close();
  });

  test('truncateFullyAndStartAt empties the log at a new offset', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 800 });
    await fill(log, 9, () => 1);
    await log.truncateFullyAndStartAt(100);
    assert.deepEqual([log.logStartOffset, log.logEndOffset, log.size], [100, 100, 0]);
    assert.deepEqual(log.segmentBaseOffsets, [100]);
    assert.equal((await log.append(buildBatch(), leader)).firstOffset, 100);
    await log.close();
    assert.deepEqual(await logFiles(root), ['00000000000000000100.log']);
  });
});
