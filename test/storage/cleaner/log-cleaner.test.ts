import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../../src/util/clock.js';
import { cleanableLog } from '../../../src/storage/cleaner/cleanable.js';
import { LogCleaner } from '../../../src/storage/cleaner/log-cleaner.js';
import type { LogConfig } from '../../../src/storage/log-config.js';
import type { PartitionLog } from '../../../src/storage/partition-log.js';
import { openLog, silentLogger, useTempDir } from '../test-env.js';
import { BASE_TS, gzipped, keyedBatch, latestByKey, leader, readAll } from './compaction-env.js';

const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], segmentBytes: 1024, minCleanableDirtyRatio: 0.01, deleteRetentionMs: 10_000 };
const KEYS = 8;

function newCleaner(root: string, logs: () => PartitionLog[], clock: ManualClock): LogCleaner {
  return new LogCleaner({
    enable: true,
    backoffMs: 1000,
    clock,
    logger: silentLogger,
    logDirs: [root],
    logs: () => logs().map((log) => ({ log, logDir: root })),
  });
}

/** `count` single-record batches cycling over KEYS keys; returns key -> last value written. */
async function writeUpdates(log: PartitionLog, count: number, from = 0): Promise<Map<string, string>> {
  const latest = new Map<string, string>();
  for (let i = from; i < from + count; i++) {
    const key = `key-${i % KEYS}`;
    const value = `value-${i}`;
    await log.append(keyedBatch([{ key, value }], { baseTimestamp: BASE_TS + i * 10 }), leader);
    latest.set(key, value);
  }
  return latest;
}

async function setup(root: string, overrides: Partial<LogConfig> = {}): Promise<{ log: PartitionLog; clock: ManualClock; cleaner: LogCleaner }> {
  const clock = new ManualClock(BASE_TS);
  const log = await openLog(root, { ...COMPACT, ...overrides }, { clock });
  const cleaner = newCleaner(root, () => [log], clock);
  await cleaner.loadCheckpoints();
  return { log, clock, cleaner };
}

/** Below the cleaner checkpoint each key appears at most once. */
function assertCompactedBelow(records: readonly { offset: number; key: string | null }[], checkpoint: number): void {
  const seen = new Set<string | null>();
  for (const r of records.filter((x) => x.offset < checkpoint)) {
    assert.ok(!seen.has(r.key), `key ${String(r.key)} appears twice below ${checkpoint}`);
    seen.add(r.key);
  }
}

describe('log cleaner', () => {
  const tmp = useTempDir();

  test('many updates per key: after cleaning exactly the latest value per key remains in the cleaned part', async () => {
    const { log, cleaner } = await setup(tmp());
    const latest = await writeUpdates(log, 300);
    const sizeBefore = log.size;
    const segmentsBefore = log.segments.length;
    assert.ok(segmentsBefore > 5);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    const checkpoint = cleaner.checkpoint('t', 0);
    assert.equal(checkpoint, log.activeSegmentBaseOffset, 'cleaned up to the active segment');
    const records = await readAll(log);
    assertCompactedBelow(records, checkpoint);
    assert.deepEqual(latestByKey(records), latest);
    assert.ok(log.size < sizeBefore / 3, `size ${log.size} vs ${sizeBefore}`);
    for (let i = 1; i < records.length; i++) assert.ok((records[i]?.offset ?? 0) > (records[i - 1]?.offset ?? 0));
    // Nothing dirty is left: a second pass has nothing to do.
    assert.equal(await cleaner.cleanFilthiestLog(), false);
    const more = await writeUpdates(log, 100, 300);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    const after = await readAll(log);
    assertCompactedBelow(after, cleaner.checkpoint('t', 0) ?? 0);
    assert.deepEqual(latestByKey(after), new Map([...latest, ...more]));
    // Kafka groups by the segments' sizes before cleaning: the small cleaned segments of the first pass merge now.
    assert.ok(log.segments.length < segmentsBefore / 2, `${log.segments.length} segments, ${segmentsBefore} before`);
    const onDisk = await fs.promises.readdir(log.dir);
    assert.deepEqual(onDisk.filter((f) => f.endsWith('.cleaned') || f.endsWith('.swap')), []);
    await log.close();
  });

  test('tombstones stay for delete.retention.ms after their first clean, then go', async () => {
    const { log, clock, cleaner } = await setup(tmp());
    await writeUpdates(log, 40);
    // key-1's tombstone is superseded by later updates of key-1; "gone" ends with its tombstone.
    await log.append(keyedBatch([{ key: 'key-1', value: null }]), leader);
    await writeUpdates(log, 40, 1000);
    await log.append(keyedBatch([{ key: 'gone', value: 'v' }]), leader);
    await log.append(keyedBatch([{ key: 'gone', value: null }]), leader);
    await writeUpdates(log, 20, 3000);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    const cleaned = await readAll(log);
    const below = cleaned.filter((r) => r.offset < (cleaner.checkpoint('t', 0) ?? 0));
    assert.deepEqual(below.filter((r) => r.key === 'gone').map((r) => r.value), [null], 'the tombstone is kept, its value is not');
    assert.ok(!below.some((r) => r.key === 'key-1' && r.value === null), 'a superseded tombstone goes at once');
    clock.advance(9_999);
    assert.equal(await cleaner.cleanFilthiestLog(), false, 'horizon not reached, nothing dirty');
    clock.advance(1);
    assert.equal(await cleaner.cleanFilthiestLog(), true, 'a passed horizon makes the log cleanable');
    const after = await readAll(log);
    assert.deepEqual(after.filter((r) => r.key === 'gone'), []);
    assert.deepEqual(latestByKey(after.filter((r) => r.key !== 'gone')), latestByKey(cleaned.filter((r) => r.key !== 'gone')));
    await log.close();
  });

  test('min.cleanable.dirty.ratio is respected', async () => {
    const { log, clock, cleaner } = await setup(tmp(), { minCleanableDirtyRatio: 0.9 });
    await writeUpdates(log, 200);
    assert.equal(await cleaner.cleanFilthiestLog(), true, 'all dirty: ratio 1');
    await writeUpdates(log, 40, 200);
    const state = {
      segments: log.segments,
      config: log.config,
      checkpoint: cleaner.checkpoint('t', 0),
      logStartOffset: log.logStartOffset,
      logEndOffset: log.logEndOffset,
      highWatermark: log.highWatermark,
      now: clock.now(),
    };
    const ratio = cleanableLog(state).cleanableRatio;
    assert.ok(ratio > 0.1 && ratio < 0.9, `ratio ${ratio}`);
    assert.equal(await cleaner.cleanFilthiestLog(), false);
    log.updateConfig({ ...log.config, minCleanableDirtyRatio: 0.1 });
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    await log.close();
  });

  test('the high watermark and min.compaction.lag.ms bound what is cleaned', async () => {
    const { log, clock, cleaner } = await setup(tmp(), { minCompactionLagMs: 60_000 });
    await writeUpdates(log, 120);
    const third = log.segments[3]?.baseOffset ?? 0;
    log.updateHighWatermark(third + 1);
    clock.advance(10_000);
    assert.equal(await cleaner.cleanFilthiestLog(), false, 'every segment is younger than the lag');
    clock.advance(60_000);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    assert.equal(cleaner.checkpoint('t', 0), third, 'stops at the segment holding the high watermark');
    await log.close();
  });

  test('offsets with gaps: fetch from any offset, ListOffsets by timestamp, and a follower append the cleaned batches', async () => {
    const root = tmp();
    const { log, cleaner } = await setup(root, { indexIntervalBytes: 64 });
    await writeUpdates(log, 150);
    await log.append(gzipped(keyedBatch([{ key: 'key-1', value: 'gz-a' }, { key: 'key-2', value: 'gz-b' }, { key: 'key-1', value: 'gz-c' }])), leader);
    await writeUpdates(log, 50, 150);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    const records = await readAll(log);
    const offsets = records.map((r) => r.offset);
    for (let o = log.logStartOffset; o < log.logEndOffset; o++) {
      const expected = offsets.find((x) => x >= o);
      const { records: raw, firstBatchOffset } = await log.read(o, { maxBytes: 1, minOneBatch: true });
      assert.ok(raw !== null, `read at ${o}`);
      const got = await readAll(log, o);
      assert.equal(got[0]?.offset, expected, `first record at or after ${o}`);
      assert.ok(firstBatchOffset <= (expected ?? 0));
    }
    for (const r of records.filter((x) => x.key !== null).slice(0, 20)) {
      const found = await log.offsetForTimestamp(r.timestamp);
      const expected = records.find((x) => x.timestamp >= r.timestamp);
      assert.equal(found?.offset, expected?.offset, `timestamp ${r.timestamp}`);
    }
    const follower = await openLog(root, { ...COMPACT }, { dir: path.join(root, 'f-0'), topic: 'f' });
    let offset = 0;
    while (offset < log.logEndOffset) {
      const { records: raw } = await log.read(offset, { maxBytes: 3000 });
      assert.ok(raw !== null);
      const appended = await follower.append(raw, { assignOffsets: false, leaderEpoch: 0 });
      offset = appended.lastOffset + 1;
    }
    assert.equal(follower.logEndOffset, log.logEndOffset);
    assert.deepEqual(await readAll(follower), records);
    await follower.close();
    await log.close();
  });

  test('max.compaction.lag.ms makes a log cleanable below the dirty ratio, and rolls its segments', async () => {
    const { log, clock, cleaner } = await setup(tmp(), { minCleanableDirtyRatio: 0.99, segmentBytes: 4096 });
    for (let i = 0; i < 200; i++) await log.append(keyedBatch([{ key: `unique-${i}`, value: 'v' }]), leader);
    assert.equal(await cleaner.cleanFilthiestLog(), true, 'all dirty: ratio 1');
    const segments = log.segments.length;
    await writeUpdates(log, 40);
    while (log.segments.length === segments) await writeUpdates(log, 1);
    assert.equal(await cleaner.cleanFilthiestLog(), false, 'a small dirty part: ratio below 0.99');
    log.updateConfig({ ...log.config, maxCompactionLagMs: 5000 });
    clock.advance(5001);
    assert.equal(await cleaner.cleanFilthiestLog(), true, 'forced by max.compaction.lag.ms');
    assert.equal(cleaner.checkpoint('t', 0), log.activeSegmentBaseOffset);
    await writeUpdates(log, 1);
    const before = log.segments.length;
    clock.advance(5001);
    await writeUpdates(log, 1);
    assert.equal(log.segments.length, before + 1, 'the active segment rolled after max.compaction.lag.ms');
    await log.close();
  });

  test('appends while the cleaner runs are not lost', async () => {
    const { log, cleaner } = await setup(tmp());
    const latest = await writeUpdates(log, 200);
    const cleaning = cleaner.cleanFilthiestLog();
    const appended: Array<{ offset: number; value: string }> = [];
    for (let i = 200; i < 300; i++) {
      const value = `value-${i}`;
      const result = await log.append(keyedBatch([{ key: `key-${i % KEYS}`, value }]), leader);
      appended.push({ offset: result.firstOffset, value });
      latest.set(`key-${i % KEYS}`, value);
    }
    assert.equal(await cleaning, true);
    const records = await readAll(log);
    assert.deepEqual(latestByKey(records), latest);
    const checkpoint = cleaner.checkpoint('t', 0) ?? 0;
    const byOffset = new Map(records.map((r) => [r.offset, r.value]));
    for (const a of appended.filter((x) => x.offset >= checkpoint)) assert.equal(byOffset.get(a.offset), a.value);
    await log.close();
  });

  test('compact,delete: cleaned and also deleted by retention.ms', async () => {
    const { log, clock, cleaner } = await setup(tmp(), { cleanupPolicy: ['compact', 'delete'], retentionMs: 100_000 });
    await writeUpdates(log, 150);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    assert.deepEqual(latestByKey(await readAll(log)).size, KEYS);
    clock.advance(200_000);
    const deleted = await log.deleteOldSegments(clock.now());
    assert.ok(deleted >= 1);
    assert.equal(log.logStartOffset, log.activeSegmentBaseOffset);
    await log.close();
  });

  test('a compacted log refuses records without a key (INVALID_RECORD), plain and gzip; other logs take them', async () => {
    const { log } = await setup(tmp());
    await assert.rejects(log.append(keyedBatch([{ key: 'k', value: 'v' }, { key: null, value: 'v' }]), leader), { kafkaError: 'INVALID_RECORD' });
    await assert.rejects(log.append(gzipped(keyedBatch([{ key: null, value: 'v' }])), leader), { kafkaError: 'INVALID_RECORD' });
    assert.equal((await log.append(gzipped(keyedBatch([{ key: 'k', value: 'v' }])), leader)).firstOffset, 0);
    log.updateConfig({ ...log.config, cleanupPolicy: ['delete'] });
    assert.equal((await log.append(keyedBatch([{ key: null, value: 'v' }]), leader)).firstOffset, 1);
    await log.close();
  });
});
