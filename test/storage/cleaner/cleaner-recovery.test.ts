import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../../src/util/clock.js';
import { LogCleaner } from '../../../src/storage/cleaner/log-cleaner.js';
import type { LogConfig } from '../../../src/storage/log-config.js';
import { LogManager } from '../../../src/storage/log-manager.js';
import { segmentFileStem } from '../../../src/storage/log-segment.js';
import type { PartitionLog } from '../../../src/storage/partition-log.js';
import { KafkaStorageError } from '../../../src/storage/storage-errors.js';
import { openLog, silentLogger, testConfig, useTempDir } from '../test-env.js';
import { BASE_TS, keyedBatch, latestByKey, leader, readAll } from './compaction-env.js';

const COMPACT: Partial<LogConfig> = { cleanupPolicy: ['compact'], segmentBytes: 1024, minCleanableDirtyRatio: 0.01 };

async function writeUpdates(log: PartitionLog, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await log.append(keyedBatch([{ key: `key-${i % 8}`, value: `value-${i}` }], { baseTimestamp: BASE_TS + i }), leader);
  }
}

function cleanerOf(root: string, log: PartitionLog, clock: ManualClock): LogCleaner {
  return new LogCleaner({ enable: true, backoffMs: 1000, clock, logger: silentLogger, logDirs: [root], logs: () => [{ log, logDir: root }] });
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), what);
}

describe('log cleaner crash safety and restart', () => {
  const tmp = useTempDir();

  test('a load discards .cleaned files and completes .swap files, with or without the old segment renamed', async () => {
    const root = tmp();
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    const clock = new ManualClock(BASE_TS);
    const original = await openLog(a, COMPACT, { clock });
    await writeUpdates(original, 100);
    await original.close();
    await fs.promises.cp(path.join(a, 't-0'), path.join(b, 't-0'), { recursive: true });

    const log = await openLog(a, COMPACT, { clock });
    const before = await readAll(log);
    const [first, second] = log.segments;
    assert.ok(first !== undefined && second !== undefined);
    const cleaner = cleanerOf(a, log, clock);
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    const cleaned = await readAll(log);
    assert.ok(cleaned.length < before.length);
    await log.close();

    // Crash states in b: segment 0's swap file is there next to the old segment; segment 1's old files were
    // already renamed to .deleted; a .cleaned output of a clean that never reached its swap lies around.
    const src = (base: number): string => path.join(a, 't-0', `${segmentFileStem(base)}.log`);
    const dst = (base: number, suffix: string): string => path.join(b, 't-0', `${segmentFileStem(base)}${suffix}`);
    await fs.promises.copyFile(src(first.baseOffset), dst(first.baseOffset, '.log.swap'));
    await fs.promises.copyFile(src(second.baseOffset), dst(second.baseOffset, '.log.swap'));
    for (const suffix of ['.log', '.index', '.timeindex']) {
      await fs.promises.rename(dst(second.baseOffset, suffix), dst(second.baseOffset, `${suffix}.deleted`));
    }
    await fs.promises.writeFile(dst(second.baseOffset, '.index.swap'), Buffer.alloc(16));
    const third = log.segments[2]?.baseOffset ?? 0;
    await fs.promises.writeFile(dst(third, '.log.cleaned'), Buffer.alloc(100, 1));
    await fs.promises.writeFile(dst(third, '.index.cleaned'), Buffer.alloc(8));

    const recovered = await openLog(b, COMPACT, { clock, hadCleanShutdown: false, recoveryPoint: 0 });
    const records = await readAll(recovered);
    const expectedFirstTwo = cleaned.filter((r) => r.offset < third);
    const expectedRest = before.filter((r) => r.offset >= third);
    assert.deepEqual(records, [...expectedFirstTwo, ...expectedRest]);
    const names = await fs.promises.readdir(path.join(b, 't-0'));
    assert.deepEqual(names.filter((n) => /\.(cleaned|swap|deleted)$/.test(n)), []);
    await recovered.close();
  });

  test('a truncation during a clean aborts the swap; nothing is lost and no cleaner files stay', async () => {
    const root = tmp();
    const clock = new ManualClock(BASE_TS);
    const log = await openLog(root, COMPACT, { clock });
    await writeUpdates(log, 120);
    const before = await readAll(log);
    const cleaner = cleanerOf(root, log, clock);
    const cleaning = cleaner.cleanFilthiestLog();
    await log.truncateTo(50);
    await cleaning;
    const records = await readAll(log);
    assert.deepEqual(latestByKey(records), latestByKey(before.filter((r) => r.offset < 50)));
    assert.ok(records.every((r) => r.offset < 50));
    const names = await fs.promises.readdir(log.dir);
    assert.deepEqual(names.filter((n) => /\.(cleaned|swap)$/.test(n)), []);
    // After the truncation the checkpoint cannot stay past the new log end.
    await writeUpdates(log, 80, 500);
    const expected = latestByKey(await readAll(log));
    assert.equal(await cleaner.cleanFilthiestLog(), true);
    assert.deepEqual(latestByKey(await readAll(log)), expected);
    assert.ok((cleaner.checkpoint('t', 0) ?? Infinity) <= log.activeSegmentBaseOffset);
    await log.close();
  });

  test('a read cut short by a truncation during a clean is an abort: the log is cleaned again later, not skipped until restart', async () => {
    const root = tmp();
    const clock = new ManualClock(BASE_TS);
    const log = await openLog(root, COMPACT, { clock });
    await writeUpdates(log, 120);
    const cleaner = cleanerOf(root, log, clock);
    const first = log.segments[0];
    assert.ok(first !== undefined);
    // The race made deterministic: while the cleaner reads the first segment, a follower truncation shrinks it.
    const scan = first.scanRawBatches.bind(first);
    first.scanRawBatches = async () => {
      first.scanRawBatches = scan;
      await log.truncateTo(50);
      throw new KafkaStorageError('scan of the segment was cut short');
    };
    assert.equal(await cleaner.cleanFilthiestLog(), false);
    await writeUpdates(log, 80, 500);
    const expected = latestByKey(await readAll(log));
    assert.equal(await cleaner.cleanFilthiestLog(), true, 'the log is still cleanable');
    assert.deepEqual(latestByKey(await readAll(log)), expected);
    await log.close();
  });

  test('the log manager runs the cleaner in the background and resumes from cleaner-offset-checkpoint after a restart', async () => {
    const root = tmp();
    const clock = new ManualClock(BASE_TS);
    const config = testConfig(COMPACT);
    const manager = (): LogManager =>
      new LogManager({ logDirs: [root], clock, logger: silentLogger, defaultConfig: testConfig(), retentionCheckIntervalMs: 1e9, cleaner: { enable: true, backoffMs: 1000 } });
    const first = manager();
    await first.startup({ brokerId: 1, clusterId: 'cluster' });
    const log = await first.getOrCreateLog('t', 0, config);
    await writeUpdates(log, 150);
    const cleaner = first.cleaner;
    assert.ok(cleaner !== undefined);
    clock.advance(1);
    const file = path.join(root, 'cleaner-offset-checkpoint');
    await waitUntil('the background pass cleaned the log and wrote its checkpoint', () => fs.existsSync(file));
    const checkpoint = cleaner.checkpoint('t', 0);
    assert.equal(checkpoint, log.activeSegmentBaseOffset);
    const text = await fs.promises.readFile(file, 'utf8');
    assert.equal(text, `0\n1\nt 0 ${String(checkpoint)}\n`);
    const records = await readAll(log);
    await first.shutdown();

    const second = manager();
    await second.startup({ brokerId: 1, clusterId: 'cluster' });
    const reopened = await second.getOrCreateLog('t', 0, config);
    assert.deepEqual(await readAll(reopened), records);
    assert.equal(second.cleaner?.checkpoint('t', 0), checkpoint);
    assert.equal(await second.cleaner?.cleanFilthiestLog(), false, 'the cleaned part is not dirty again');
    await writeUpdates(reopened, 60, 1000);
    assert.equal(await second.cleaner?.cleanFilthiestLog(), true);
    assert.ok((second.cleaner?.checkpoint('t', 0) ?? 0) > (checkpoint ?? 0));
    await second.deleteLog('t', 0);
    assert.equal(second.cleaner?.checkpoint('t', 0), undefined, 'a deleted log loses its checkpoint');
    await second.shutdown();
  });

  test('log.cleaner.enable=false runs no cleaner', async () => {
    const manager = new LogManager({
      logDirs: [tmp()],
      clock: new ManualClock(),
      logger: silentLogger,
      defaultConfig: testConfig(),
      retentionCheckIntervalMs: 1e9,
      cleaner: { enable: false, backoffMs: 1000 },
    });
    await manager.startup({ brokerId: 1, clusterId: 'cluster' });
    assert.equal(manager.cleaner, undefined);
    await manager.shutdown();
  });
});
