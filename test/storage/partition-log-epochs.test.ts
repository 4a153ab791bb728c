import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { EpochEntry, PartitionLog } from '../../src/storage/partition-log.js';
import { buildBatch } from './batch-builder.js';
import { openLog, useTempDir } from './test-env.js';

/** 261-byte batches of 2 records: three fit in an 800-byte segment. */
const config = { segmentBytes: 800 };

function entries(...pairs: [number, number][]): EpochEntry[] {
  return pairs.map(([epoch, startOffset]) => ({ epoch, startOffset }));
}

function batch(spec: { baseOffset?: number; partitionLeaderEpoch?: number } = {}): Buffer {
  return buildBatch({ recordCount: 2, payload: Buffer.alloc(200, 7), ...spec });
}

function leaderAppend(log: PartitionLog, leaderEpoch: number): Promise<unknown> {
  return log.append(batch(), { assignOffsets: true, leaderEpoch });
}

function replicated(log: PartitionLog, ...batches: [baseOffset: number, epoch: number][]): Promise<unknown> {
  const bytes = Buffer.concat(batches.map(([baseOffset, partitionLeaderEpoch]) => batch({ baseOffset, partitionLeaderEpoch })));
  return log.append(bytes, { assignOffsets: false, leaderEpoch: 99 });
}

const checkpointPath = (root: string): string => path.join(root, 't-0', 'leader-epoch-checkpoint');
const readCheckpoint = (root: string): Promise<string> => fs.promises.readFile(checkpointPath(root), 'utf8');

/** Leader appends in epochs 0,0,2,2,5,5,5: offsets 0..13 in segments [0,6,12]. */
async function epochLog(root: string, extra: Parameters<typeof openLog>[2] = {}): Promise<PartitionLog> {
  const log = await openLog(root, config, extra);
  for (const epoch of [0, 0, 2, 2, 5, 5, 5]) await leaderAppend(log, epoch);
  return log;
}

const EXPECTED = entries([0, 0], [2, 4], [5, 8]);
const EXPECTED_FILE = '0\n3\n0 0\n2 4\n5 8\n';

describe('PartitionLog leader epochs: appends', () => {
  const tmp = useTempDir();

  test('leader appends across epochs 0,0,2,5 record where each epoch starts, and the checkpoint follows', async () => {
    const root = tmp();
    const log = await openLog(root, config);
    assert.equal(log.latestEpoch, -1);
    assert.deepEqual(log.endOffsetForEpoch(0), { epoch: -1, endOffset: -1 });
    for (const epoch of [0, 0, 2, 5]) await leaderAppend(log, epoch);
    assert.deepEqual(log.epochEntries(), entries([0, 0], [2, 4], [5, 6]));
    assert.equal(log.latestEpoch, 5);
    assert.equal(await readCheckpoint(root), '0\n3\n0 0\n2 4\n5 6\n');
    await log.close();
  });

  test('endOffsetForEpoch answers from the cache and the log end offset', async () => {
    const root = tmp();
    const log = await epochLog(root);
    assert.deepEqual(log.epochEntries(), EXPECTED);
    assert.equal(await readCheckpoint(root), EXPECTED_FILE);
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: 5, endOffset: 14 });
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 2, endOffset: 8 });
    assert.deepEqual(log.endOffsetForEpoch(1), { epoch: 0, endOffset: 4 });
    assert.deepEqual(log.endOffsetForEpoch(0), { epoch: 0, endOffset: 4 });
    assert.deepEqual(log.endOffsetForEpoch(6), { epoch: -1, endOffset: -1 });
    assert.deepEqual(log.endOffsetForEpoch(-1), { epoch: -1, endOffset: -1 });
    await leaderAppend(log, 5);
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: 5, endOffset: 16 });
    await log.close();
  });

  test('replicated appends take each batch epoch at its base offset; epoch -1 batches are skipped', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 1 << 20 });
    await replicated(log, [0, -1], [2, 1], [4, 1], [6, 3]);
    assert.deepEqual(log.epochEntries(), entries([1, 2], [3, 6]));
    await replicated(log, [8, 3], [10, 4]);
    assert.deepEqual(log.epochEntries(), entries([1, 2], [3, 6], [4, 10]));
    assert.equal(await readCheckpoint(root), '0\n3\n1 2\n3 6\n4 10\n');
    assert.deepEqual(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 10 });
    await log.close();
  });

  test('concurrent appends coalesced into one write record every new epoch', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 1 << 20 });
    await Promise.all([1, 1, 2, 2, 3].map((epoch) => leaderAppend(log, epoch)));
    assert.deepEqual(log.epochEntries(), entries([1, 0], [2, 4], [3, 8]));
    assert.equal(await readCheckpoint(root), '0\n3\n1 0\n2 4\n3 8\n');
    await log.close();
  });

  test('a failed append leaves the cache as it was', async () => {
    const root = tmp();
    const log = await openLog(root, { segmentBytes: 500 });
    await replicated(log, [0, 1]);
    await assert.rejects(replicated(log, [0, 2]), /less than the next offset/);
    assert.deepEqual(log.epochEntries(), entries([1, 0]));
    await fs.promises.rm(path.join(root, 't-0'), { recursive: true }); // the roll the next append needs fails
    await assert.rejects(leaderAppend(log, 4));
    assert.equal(log.isOffline, true);
    assert.deepEqual(log.epochEntries(), entries([1, 0]));
    await assert.rejects(log.close());
  });

  test('maybeAssignEpochStartOffset starts an epoch before it has records', async () => {
    const root = tmp();
    const log = await epochLog(root);
    await log.maybeAssignEpochStartOffset(7);
    assert.deepEqual(log.epochEntries(), [...EXPECTED, { epoch: 7, startOffset: 14 }]);
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: 5, endOffset: 14 });
    await leaderAppend(log, 7);
    assert.deepEqual(log.epochEntries(), [...EXPECTED, { epoch: 7, startOffset: 14 }]);
    assert.equal(await readCheckpoint(root), '0\n4\n0 0\n2 4\n5 8\n7 14\n');
    await log.close();
  });

  test('a new epoch starts after the previous epoch\'s appends already in flight, and later appends of that epoch are refused', async () => {
    const root = tmp();
    const log = await epochLog(root); // offsets 0..13, latest epoch 5
    // Accepted as leader of epoch 5 just before LeaderAndIsr moved the partition to epoch 6: still in flight.
    const inFlight = leaderAppend(log, 5);
    const assigned = log.maybeAssignEpochStartOffset(6);
    await inFlight;
    await assigned;
    assert.equal(log.logEndOffset, 16);
    assert.deepEqual(log.epochEntries(), [...EXPECTED, { epoch: 6, startOffset: 16 }], 'epoch 6 starts after the epoch-5 batch');
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: 5, endOffset: 16 }, 'epoch 5 ends where its records end');
    // An epoch-5 append reaching the writer now would end epoch 6: it is refused instead.
    await assert.rejects(leaderAppend(log, 5), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'NOT_LEADER_OR_FOLLOWER');
    assert.equal(log.logEndOffset, 16);
    assert.equal(log.latestEpoch, 6);
    await log.close();
  });
});

describe('PartitionLog leader epochs: truncation and log start', () => {
  const tmp = useTempDir();

  test('truncateTo drops the epochs that start at or after the new log end', async () => {
    const root = tmp();
    const log = await epochLog(root);
    assert.equal(await log.truncateTo(8), true);
    assert.deepEqual(log.epochEntries(), entries([0, 0], [2, 4]));
    assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 2, endOffset: 8 });
    assert.deepEqual(log.endOffsetForEpoch(5), { epoch: -1, endOffset: -1 });
    assert.equal(await readCheckpoint(root), '0\n2\n0 0\n2 4\n');
    // Offset 5 is inside the batch at 4: the log ends at 4, so epoch 2 goes too.
    assert.equal(await log.truncateTo(5), true);
    assert.equal(log.logEndOffset, 4);
    assert.deepEqual(log.epochEntries(), entries([0, 0]));
    assert.deepEqual(log.endOffsetForEpoch(0), { epoch: 0, endOffset: 4 });
    await leaderAppend(log, 7);
    assert.deepEqual(log.epochEntries(), entries([0, 0], [7, 4]));
    assert.equal(await readCheckpoint(root), '0\n2\n0 0\n7 4\n');
    await log.close();
  });

  test('truncateTo at the log end drops an epoch recorded there without records (a leader that never wrote)', async () => {
    const root = tmp();
    const log = await epochLog(root);
    await log.maybeAssignEpochStartOffset(6);
    assert.equal(log.latestEpoch, 6);
    assert.equal(await log.truncateTo(log.logEndOffset), false, 'no data dropped');
    assert.deepEqual(log.epochEntries(), EXPECTED);
    assert.equal(log.latestEpoch, 5);
    assert.equal(await readCheckpoint(root), EXPECTED_FILE);
    await log.close();
  });

  test('truncateFullyAndStartAt clears the cache', async () => {
    const root = tmp();
    const log = await epochLog(root);
    await log.truncateFullyAndStartAt(100);
    assert.deepEqual(log.epochEntries(), []);
    assert.equal(log.latestEpoch, -1);
    assert.equal(await readCheckpoint(root), '0\n0\n');
    await leaderAppend(log, 6);
    assert.deepEqual(log.epochEntries(), entries([6, 100]));
    await log.close();
  });

  test('deleteRecordsBefore and retention move the first entry up to the log start offset', async () => {
    const root = tmp();
    const log = await epochLog(root);
    assert.equal(await log.deleteRecordsBefore(5), 5);
    assert.deepEqual(log.epochEntries(), entries([2, 5], [5, 8]));
    assert.equal(await readCheckpoint(root), '0\n2\n2 5\n5 8\n');
    log.updateConfig({ ...log.config, retentionBytes: 261, retentionMs: -1 });
    assert.equal(await log.deleteOldSegments(0), 2);
    assert.equal(log.logStartOffset, 12);
    assert.deepEqual(log.epochEntries(), entries([5, 12]));
    assert.equal(await readCheckpoint(root), '0\n1\n5 12\n');
    await log.close();
  });

  test('delete removes the checkpoint with the partition directory', async () => {
    const root = tmp();
    const log = await epochLog(root);
    await log.delete();
    await assert.rejects(fs.promises.stat(checkpointPath(root)), { code: 'ENOENT' });
  });
});

describe('PartitionLog leader epochs: reopening', () => {
  const tmp = useTempDir();
  const unclean = { hadCleanShutdown: false, recoveryPoint: 0 };

  async function reopenAndCheck(root: string, extra: Parameters<typeof openLog>[2], expected = EXPECTED): Promise<void> {
    const log = await openLog(root, config, extra);
    assert.deepEqual(log.epochEntries(), expected);
    assert.equal(await readCheckpoint(root), `0\n${expected.length}\n${expected.map((e) => `${e.epoch} ${e.startOffset}\n`).join('')}`);
    await log.close();
  }

  test('after a clean shutdown', async () => {
    const root = tmp();
    await (await epochLog(root)).close();
    await reopenAndCheck(root, {});
  });

  test('after an unclean shutdown', async () => {
    const root = tmp();
    await epochLog(root);
    await reopenAndCheck(root, unclean);
  });

  test('with the checkpoint deleted, rebuilt from the batch headers (clean and unclean)', async () => {
    const root = tmp();
    await (await epochLog(root)).close();
    await fs.promises.rm(checkpointPath(root));
    await reopenAndCheck(root, {});
    await fs.promises.rm(checkpointPath(root));
    await reopenAndCheck(root, { hadCleanShutdown: false, recoveryPoint: 12 });
  });

  test('with a corrupt checkpoint, rebuilt from the batch headers', async () => {
    const root = tmp();
    await (await epochLog(root)).close();
    await fs.promises.writeFile(checkpointPath(root), '0\n3\n0 0\ngarbage\n');
    await reopenAndCheck(root, {});
  });

  test('rescanned segments extend a checkpoint that missed the newest epoch', async () => {
    const root = tmp();
    await epochLog(root);
    await fs.promises.writeFile(checkpointPath(root), '0\n2\n0 0\n2 4\n'); // as if killed before the rewrite
    await reopenAndCheck(root, { hadCleanShutdown: false, recoveryPoint: 8 });
  });

  test('entries past a torn tail are dropped', async () => {
    const root = tmp();
    const log = await epochLog(root);
    await leaderAppend(log, 9);
    assert.deepEqual(log.epochEntries(), [...EXPECTED, { epoch: 9, startOffset: 14 }]);
    const active = path.join(root, 't-0', `${String(log.activeSegmentBaseOffset).padStart(20, '0')}.log`);
    const size = (await fs.promises.stat(active)).size;
    await fs.promises.truncate(active, size - 50);
    await reopenAndCheck(root, unclean);
  });

  test('an empty new log writes no checkpoint until its first epoch', async () => {
    const root = tmp();
    const log = await openLog(root, config);
    await assert.rejects(fs.promises.stat(checkpointPath(root)), { code: 'ENOENT' });
    await leaderAppend(log, 3);
    assert.equal(await readCheckpoint(root), '0\n1\n3 0\n');
    await log.close();
  });
});
