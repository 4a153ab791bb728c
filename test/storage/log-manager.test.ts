import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../src/util/clock.js';
import { LogManager } from '../../src/storage/log-manager.js';
import { PartitionLog } from '../../src/storage/partition-log.js';
import { InconsistentClusterIdError } from '../../src/storage/storage-errors.js';
import { buildBatch } from './batch-builder.js';
import { removeDir, silentLogger, tempDir, testConfig } from './test-env.js';

const identity = { brokerId: 1, clusterId: 'cluster-A' };
const leader = { assignOffsets: true, leaderEpoch: 0 } as const;

async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail('condition not reached');
}

describe('LogManager', () => {
  let root: string;
  let dirs: string[];
  let clock: ManualClock;
  const manager = (overrides = {}): LogManager =>
    new LogManager({
      logDirs: dirs,
      clock,
      logger: silentLogger,
      defaultConfig: testConfig({ segmentBytes: 600, retentionMs: 60_000, fileDeleteDelayMs: 1000, ...overrides }),
      retentionCheckIntervalMs: 10_000,
      flushCheckpointIntervalMs: 30_000,
    });

  beforeEach(async () => {
    root = await tempDir();
    dirs = [path.join(root, 'd1'), path.join(root, 'd2')];
    clock = new ManualClock(1_000_000);
  });
  afterEach(async () => {
    await removeDir(root);
  });

  test('writes meta.properties everywhere and places new logs in the emptiest dir', async () => {
    const lm = manager();
    await lm.startup(identity);
    for (const dir of dirs) assert.match(await fs.promises.readFile(path.join(dir, 'meta.properties'), 'utf8'), /cluster.id=cluster-A/);
    const a = await lm.getOrCreateLog('my-topic', 0);
    const b = await lm.getOrCreateLog('my-topic', 1);
    const c = await lm.getOrCreateLog('my-topic', 2);
    assert.equal(await lm.getOrCreateLog('my-topic', 0), a);
    assert.deepEqual([a.dir, b.dir, c.dir].map((d) => path.relative(root, d)), ['d1/my-topic-0', 'd2/my-topic-1', 'd1/my-topic-2']);
    assert.equal(lm.allLogs().length, 3);
    assert.equal(lm.getLog('my-topic', 1), b);
    assert.equal(lm.getLog('my-topic', 9), undefined);
    await lm.shutdown();
  });

  test('a clean shutdown writes checkpoints and the marker; restart reloads everything', async () => {
    const lm = manager();
    await lm.startup(identity);
    const log = await lm.getOrCreateLog('a-b', 3);
    for (let i = 0; i < 10; i++) await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(100) }), leader);
    await log.deleteRecordsBefore(4);
    await lm.shutdown();
    const d1 = dirs[0] ?? '';
    assert.ok(fs.existsSync(path.join(d1, '.kafka_cleanshutdown')));
    assert.equal(await fs.promises.readFile(path.join(d1, 'recovery-point-offset-checkpoint'), 'utf8'), '0\n1\na-b 3 20\n');
    assert.equal(await fs.promises.readFile(path.join(d1, 'log-start-offset-checkpoint'), 'utf8'), '0\n1\na-b 3 4\n');

    const again = manager();
    await again.startup(identity);
    assert.equal(fs.existsSync(path.join(d1, '.kafka_cleanshutdown')), false);
    const reloaded = again.getLog('a-b', 3);
    assert.ok(reloaded);
    assert.deepEqual([reloaded.logStartOffset, reloaded.logEndOffset], [4, 20]);
    await again.shutdown();
  });

  test('a log loaded at start-up takes its topic config when it is asked for with it (not the broker defaults for good)', async () => {
    const lm = manager();
    await lm.startup(identity);
    await lm.getOrCreateLog('t', 0, testConfig({ retentionMs: 1234 }));
    await lm.shutdown();
    const again = manager();
    await again.startup(identity);
    assert.equal(again.getLog('t', 0)?.config.retentionMs, 60_000, 'loaded with the defaults');
    const log = await again.getOrCreateLog('t', 0, testConfig({ retentionMs: 1234 }));
    assert.equal(log.config.retentionMs, 1234);
    await again.shutdown();
  });

  test('without a clean shutdown the unflushed tail is recovered', async () => {
    const lm = manager({ segmentBytes: 1 << 20 });
    await lm.startup(identity);
    const log = await lm.getOrCreateLog('t', 0);
    for (let i = 0; i < 10; i++) await log.append(buildBatch({ recordCount: 1, payload: Buffer.alloc(100) }), leader);
    await lm.checkpointLogOffsets(); // recovery point 0: nothing flushed yet
    const file = path.join(log.dir, '00000000000000000000.log');
    await fs.promises.truncate(file, (await fs.promises.stat(file)).size - 20);
    // The process "dies" here: no shutdown, no marker.
    const again = manager({ segmentBytes: 1 << 20 });
    await again.startup(identity);
    assert.equal(again.getLog('t', 0)?.logEndOffset, 9);
    await again.shutdown();
    await log.close();
  });

  test('retention runs on the clock; deleted logs are renamed then removed later', async () => {
    const lm = manager();
    await lm.startup(identity);
    const log = await lm.getOrCreateLog('old', 0);
    for (let i = 0; i < 6; i++) await log.append(buildBatch({ recordCount: 1, payload: Buffer.alloc(200), baseTimestamp: 1000 }), leader);
    assert.ok(log.segmentBaseOffsets.length > 1);
    clock.advance(10_000);
    await eventually(() => log.logStartOffset === 6);
    assert.deepEqual(log.segmentBaseOffsets, [6]);

    await lm.deleteLog('old', 0);
    assert.equal(lm.getLog('old', 0), undefined);
    const renamed = (await fs.promises.readdir(dirs[0] ?? '')).filter((n) => n.startsWith('old-0.'));
    assert.equal(renamed.length, 1);
    assert.match(renamed[0] ?? '', /^old-0\.[0-9a-f]{32}-delete$/);
    clock.advance(1000);
    await eventually(() => !fs.existsSync(path.join(dirs[0] ?? '', renamed[0] ?? '')));
    await lm.shutdown();
  });

  test('high watermarks are written per log dir and read back', async () => {
    const lm = manager();
    await lm.startup(identity);
    await lm.getOrCreateLog('x', 0);
    await lm.getOrCreateLog('x', 1);
    await lm.writeHighWatermarks(new Map([['x-0', 10], ['x-1', 20], ['unknown-0', 5]]));
    assert.equal(await fs.promises.readFile(path.join(dirs[0] ?? '', 'replication-offset-checkpoint'), 'utf8'), '0\n1\nx 0 10\n');
    assert.deepEqual(await lm.readHighWatermarks(), new Map([['x-0', 10], ['x-1', 20]]));
    await lm.shutdown();
  });

  test('a different cluster id refuses to start', async () => {
    const lm = manager();
    await lm.startup(identity);
    await lm.shutdown();
    await assert.rejects(manager().startup({ brokerId: 1, clusterId: 'other' }), InconsistentClusterIdError);
  });

  test('shutdown closes logs several at a time, and every log even when one fails', async () => {
    const lm = new LogManager({
      logDirs: dirs,
      clock,
      logger: silentLogger,
      defaultConfig: testConfig({}),
      retentionCheckIntervalMs: 10_000,
      shutdownConcurrency: 3,
    });
    await lm.startup(identity);
    for (let p = 0; p < 8; p++) await lm.getOrCreateLog('many', p);
    let inFlight = 0;
    let maxInFlight = 0;
    const closed: string[] = [];
    for (const log of lm.allLogs()) {
      const close = log.close.bind(log);
      log.close = async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        closed.push(`${log.topic}-${log.partition}`);
        await close();
        if (log.partition === 1) throw new Error('disk gone');
      };
    }
    await lm.shutdown();
    assert.equal(maxInFlight, 3);
    assert.deepEqual([...closed].sort(), Array.from({ length: 8 }, (_, p) => `many-${p}`).sort());
    // many-1 lives in d2 (placement alternates): only that dir misses the clean-shutdown marker.
    assert.ok(fs.existsSync(path.join(dirs[0] ?? '', '.kafka_cleanshutdown')));
    assert.equal(fs.existsSync(path.join(dirs[1] ?? '', '.kafka_cleanshutdown')), false);
    assert.match(await fs.promises.readFile(path.join(dirs[0] ?? '', 'recovery-point-offset-checkpoint'), 'utf8'), /many 6 0/);
  });

  test('startup opens the logs of a log dir several at a time, and every one of them with its data', async () => {
    const oneDir = (loadConcurrency?: number): LogManager =>
      new LogManager({ logDirs: [dirs[0] ?? ''], clock, logger: silentLogger, defaultConfig: testConfig({}), retentionCheckIntervalMs: 10_000, ...(loadConcurrency === undefined ? {} : { loadConcurrency }) });
    const first = oneDir();
    await first.startup(identity);
    for (let p = 0; p < 8; p++) {
      const log = await first.getOrCreateLog('many', p);
      await log.append(buildBatch({ recordCount: p + 1 }), leader);
    }
    await first.shutdown();
    const open = PartitionLog.open.bind(PartitionLog);
    let inFlight = 0;
    let maxInFlight = 0;
    PartitionLog.open = async (opts) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return await open(opts);
      } finally {
        inFlight--;
      }
    };
    const lm = oneDir(3);
    try {
      await lm.startup(identity);
    } finally {
      PartitionLog.open = open;
    }
    assert.equal(maxInFlight, 3);
    assert.deepEqual(lm.allLogs().map((log) => [log.partition, log.logEndOffset]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)), Array.from({ length: 8 }, (_, p) => [p, p + 1]));
    await lm.shutdown();
  });

  test('the same partition in two log dirs refuses startup, as Kafka does', async () => {
    const first = manager();
    await first.startup(identity);
    const log = await first.getOrCreateLog('twice', 0);
    await first.shutdown();
    const other = dirs.find((d) => d !== path.dirname(log.dir)) ?? '';
    await fs.promises.cp(log.dir, path.join(other, path.basename(log.dir)), { recursive: true });
    await assert.rejects(manager().startup(identity), /Duplicate log directories for twice-0 are found in both/);
  });

  test('logs created at the same time spread over the log dirs', async () => {
    const lm = manager();
    await lm.startup(identity);
    const created = await Promise.all([0, 1, 2, 3].map((p) => lm.getOrCreateLog('burst', p)));
    assert.deepEqual(created.map((log) => path.relative(root, path.dirname(log.dir))).sort(), ['d1', 'd1', 'd2', 'd2']);
    await lm.shutdown();
  });

  test('shutdown closes a log still being created and creates none after it began', async () => {
    const lm = manager();
    await lm.startup(identity);
    const creating = lm.getOrCreateLog('late', 0);
    const shut = lm.shutdown();
    await assert.rejects(lm.getOrCreateLog('late', 1), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'KAFKA_STORAGE_ERROR');
    const log = await creating;
    await shut;
    // Closed by the shutdown (a closed log refuses appends), and counted in the checkpoints written with the marker.
    await assert.rejects(log.append(buildBatch({ recordCount: 1 }), leader));
    assert.match(await fs.promises.readFile(path.join(dirs[0] ?? '', 'recovery-point-offset-checkpoint'), 'utf8'), /late 0 0/);
    assert.equal(fs.existsSync(path.join(dirs[1] ?? '', 'late-1')), false);
  });

  test('a partition that cannot be loaded is offline alone', async () => {
    const lm = manager();
    await lm.startup(identity);
    await lm.getOrCreateLog('good', 0);
    await lm.shutdown();
    const bad = path.join(dirs[1] ?? '', 'bad-0');
    await fs.promises.mkdir(path.join(bad, '00000000000000000000.log'), { recursive: true });
    const again = manager();
    await again.startup(identity);
    assert.ok(again.getLog('good', 0));
    assert.equal(again.offlineError('bad', 0)?.kafkaError, 'KAFKA_STORAGE_ERROR');
    await assert.rejects(again.getOrCreateLog('bad', 0), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'KAFKA_STORAGE_ERROR');
    await again.shutdown();
  });
});
