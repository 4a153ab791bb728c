import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import { batchHeaders, buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

const leader = { assignOffsets: true, leaderEpoch: 1 } as const;
const config = { segmentBytes: 1500, indexIntervalBytes: 256 };

/** Every batch of the log, read segment by segment. */
async function readAll(log: PartitionLog): Promise<Buffer> {
  const parts: Buffer[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = await log.read(offset, { maxBytes: 1 << 20 });
    assert.ok(records, `records at ${offset}`);
    parts.push(records);
    const last = batchHeaders(records).at(-1);
    assert.ok(last);
    offset = last.lastOffset + 1;
  }
  return Buffer.concat(parts);
}

/** 20 batches of 2 records over several segments, the log left unclosed (as after kill -9). */
async function crashedLog(root: string): Promise<{ log: PartitionLog; before: Buffer; active: string }> {
  const log = await openLog(root, config);
  for (let i = 0; i < 20; i++) await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(200 + i, i) }), leader);
  const before = await readAll(log);
  const active = path.join(root, 't-0', `${String(log.activeSegmentBaseOffset).padStart(20, '0')}.log`);
  return { log, before, active };
}

async function reopenUnclean(root: string, recoveryPoint = 0): Promise<PartitionLog> {
  return openLog(root, config, { hadCleanShutdown: false, recoveryPoint });
}

describe('recovery after an unclean shutdown', () => {
  const tmp = useTempDir();

  test('an intact log reopens unchanged', async () => {
    const root = tmp();
    const { before } = await crashedLog(root);
    const log = await reopenUnclean(root);
    assert.equal(log.logEndOffset, 40);
    assert.deepEqual(await readAll(log), before);
    await log.close();
  });

  test('a file truncated mid-batch ends at the last whole batch', async () => {
    const root = tmp();
    const { before, active } = await crashedLog(root);
    const size = (await fs.promises.stat(active)).size;
    await fs.promises.truncate(active, size - 50);
    const log = await reopenUnclean(root);
    assert.equal(log.logEndOffset, 38);
    const after = await readAll(log);
    assert.deepEqual(after, before.subarray(0, after.length));
    assert.ok(batchHeaders(after).every((h) => h.crcOk));
    const r = await log.append(buildBatch({ recordCount: 1 }), leader);
    assert.equal(r.firstOffset, 38);
    await log.close();
  });

  test('a flipped byte in the last batch drops that batch only', async () => {
    const root = tmp();
    const { before, active } = await crashedLog(root);
    const data = await fs.promises.readFile(active);
    data[data.length - 10] = (data[data.length - 10] ?? 0) ^ 0xff;
    await fs.promises.writeFile(active, data);
    const log = await reopenUnclean(root);
    assert.equal(log.logEndOffset, 38);
    const after = await readAll(log);
    assert.equal(after.length, before.length - batchHeaders(before).at(-1)!.size);
    assert.deepEqual(after, before.subarray(0, after.length));
    assert.equal((await fs.promises.stat(active)).size, data.length - batchHeaders(before).at(-1)!.size);
    await log.close();
  });

  test('garbage appended after the last batch is removed', async () => {
    const root = tmp();
    const { before, active } = await crashedLog(root);
    await fs.promises.appendFile(active, Buffer.from('this is not a record batch, just junk written by a dying process'));
    const log = await reopenUnclean(root);
    assert.equal(log.logEndOffset, 40);
    assert.deepEqual(await readAll(log), before);
    await log.close();
  });

  test('a corrupt batch in an earlier unflushed segment truncates there and deletes later segments', async () => {
    const root = tmp();
    const { log: crashed, before } = await crashedLog(root);
    const bases = crashed.segmentBaseOffsets;
    assert.ok(bases.length >= 3);
    const second = path.join(root, 't-0', `${String(bases[1]).padStart(20, '0')}.log`);
    const data = await fs.promises.readFile(second);
    const firstSize = data.readInt32BE(8) + 12;
    data[firstSize + 70] = (data[firstSize + 70] ?? 0) ^ 0x01; // inside the second batch of that segment
    await fs.promises.writeFile(second, data);
    const log = await reopenUnclean(root, 0);
    assert.deepEqual(log.segmentBaseOffsets, bases.slice(0, 2));
    assert.equal(log.logEndOffset, (bases[1] ?? 0) + 2);
    const after = await readAll(log);
    assert.deepEqual(after, before.subarray(0, after.length));
    for (const base of bases.slice(2)) {
      assert.equal(fs.existsSync(path.join(root, 't-0', `${String(base).padStart(20, '0')}.log`)), false);
    }
    await log.close();
  });

  test('from the recovery point on, the segment holding it is rescanned', async () => {
    const root = tmp();
    const { log: crashed, active, before } = await crashedLog(root);
    const activeBase = crashed.activeSegmentBaseOffset;
    const goodSize = (await fs.promises.stat(active)).size;
    await fs.promises.appendFile(active, Buffer.alloc(30, 0xee));
    const log = await reopenUnclean(root, activeBase + 1);
    assert.equal(log.logEndOffset, 40);
    assert.equal(log.recoveryPoint, activeBase + 1);
    assert.equal((await fs.promises.stat(active)).size, goodSize);
    assert.deepEqual(await readAll(log), before);
    await log.close();
  });

  test('missing or corrupt indexes are rebuilt even after a clean shutdown', async () => {
    const root = tmp();
    const log = await openLog(root, config);
    for (let i = 0; i < 20; i++) await log.append(buildBatch({ recordCount: 2, payload: Buffer.alloc(200, i) }), leader);
    const before = await readAll(log);
    const bases = log.segmentBaseOffsets;
    await log.close();
    const stem = (base: number | undefined): string => path.join(root, 't-0', String(base).padStart(20, '0'));
    const goodIndex = await fs.promises.readFile(`${stem(bases[0])}.index`);
    assert.ok(goodIndex.length >= 16);
    await fs.promises.rm(`${stem(bases[0])}.index`);
    await fs.promises.writeFile(`${stem(bases[1])}.timeindex`, Buffer.alloc(7));
    const scrambled = Buffer.from(goodIndex);
    scrambled.writeUInt32BE(0xffff, 4); // a position past the end of the log
    await fs.promises.writeFile(`${stem(bases[0])}.index`, scrambled);
    const reopened = await openLog(root, config);
    assert.deepEqual(await readAll(reopened), before);
    assert.deepEqual(await fs.promises.readFile(`${stem(bases[0])}.index`), goodIndex);
    assert.equal((await fs.promises.readFile(`${stem(bases[1])}.timeindex`)).length % 12, 0);
    await reopened.close();
  });
});
