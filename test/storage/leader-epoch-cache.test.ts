import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { LeaderEpochCache } from '../../src/storage/leader-epoch-cache.js';
import type { EpochEntry } from '../../src/storage/leader-epoch-cache.js';
import {
  CorruptCheckpointError,
  formatLeaderEpochCheckpoint,
  parseLeaderEpochCheckpoint,
  readLeaderEpochCheckpoint,
  writeLeaderEpochCheckpoint,
} from '../../src/storage/leader-epoch-checkpoint.js';
import { useTempDir } from './test-env.js';

function entries(...pairs: [number, number][]): EpochEntry[] {
  return pairs.map(([epoch, startOffset]) => ({ epoch, startOffset }));
}

function cacheOf(...pairs: [number, number][]): LeaderEpochCache {
  return new LeaderEpochCache(entries(...pairs));
}

describe('LeaderEpochCache.assign', () => {
  test('a new epoch is appended; the same epoch at a later offset changes nothing', () => {
    const cache = new LeaderEpochCache();
    assert.equal(cache.latestEpoch, -1);
    assert.equal(cache.assign(0, 0), true);
    assert.equal(cache.assign(0, 10), false);
    assert.equal(cache.assign(2, 20), true);
    assert.equal(cache.assign(5, 35), true);
    assert.equal(cache.assign(5, 40), false);
    assert.deepEqual(cache.entries(), entries([0, 0], [2, 20], [5, 35]));
    assert.equal(cache.latestEpoch, 5);
  });

  test('negative epochs and offsets are ignored', () => {
    const cache = cacheOf([1, 0]);
    assert.equal(cache.assign(-1, 5), false);
    assert.equal(cache.assign(2, -1), false);
    assert.deepEqual(cache.entries(), entries([1, 0]));
  });

  test('a new epoch starting below the latest start removes the conflicting entries first', () => {
    const cache = cacheOf([0, 0], [2, 20], [3, 30]);
    assert.equal(cache.assign(4, 20), true);
    assert.deepEqual(cache.entries(), entries([0, 0], [4, 20]));
  });

  test('the latest epoch starting earlier is moved down', () => {
    const cache = cacheOf([0, 0], [2, 20]);
    assert.equal(cache.assign(2, 15), true);
    assert.deepEqual(cache.entries(), entries([0, 0], [2, 15]));
  });

  test('an older epoch than the latest replaces the entries with epochs at or above it (Kafka)', () => {
    const cache = cacheOf([0, 0], [2, 20], [5, 30]);
    assert.equal(cache.assign(3, 30), true);
    assert.deepEqual(cache.entries(), entries([0, 0], [2, 20], [3, 30]));
  });

  test('extend takes only epochs newer than the latest', () => {
    const cache = cacheOf([0, 0], [2, 20]);
    assert.equal(cache.extend(1, 25), false);
    assert.equal(cache.extend(2, 10), false);
    assert.equal(cache.extend(-1, 30), false);
    assert.equal(cache.extend(3, 30), true);
    assert.deepEqual(cache.entries(), entries([0, 0], [2, 20], [3, 30]));
  });

  test('entries() is a copy', () => {
    const cache = cacheOf([1, 0]);
    const copy = cache.entries();
    copy[0] = { epoch: 9, startOffset: 9 };
    assert.deepEqual(cache.entries(), entries([1, 0]));
  });
});

describe('LeaderEpochCache.endOffsetFor', () => {
  const cache = cacheOf([1, 10], [3, 30], [6, 60]);
  const leo = 75;

  test('undefined epoch requested', () => {
    assert.deepEqual(cache.endOffsetFor(-1, leo), { epoch: -1, endOffset: -1 });
  });

  test('empty cache', () => {
    assert.deepEqual(new LeaderEpochCache().endOffsetFor(0, leo), { epoch: -1, endOffset: -1 });
  });

  test('the latest epoch ends at the log end offset', () => {
    assert.deepEqual(cache.endOffsetFor(6, leo), { epoch: 6, endOffset: 75 });
  });

  test('an epoch above the latest is unknown', () => {
    assert.deepEqual(cache.endOffsetFor(7, leo), { epoch: -1, endOffset: -1 });
  });

  test('a cached epoch ends where the next one starts', () => {
    assert.deepEqual(cache.endOffsetFor(1, leo), { epoch: 1, endOffset: 30 });
    assert.deepEqual(cache.endOffsetFor(3, leo), { epoch: 3, endOffset: 60 });
  });

  test('an epoch between cached ones answers with the floor epoch and the next start', () => {
    assert.deepEqual(cache.endOffsetFor(2, leo), { epoch: 1, endOffset: 30 });
    assert.deepEqual(cache.endOffsetFor(5, leo), { epoch: 3, endOffset: 60 });
  });

  test('an epoch below the first answers with itself and the first start offset', () => {
    assert.deepEqual(cache.endOffsetFor(0, leo), { epoch: 0, endOffset: 10 });
  });
});

describe('LeaderEpochCache truncation', () => {
  test('truncateFromEnd drops entries starting at or after the offset', () => {
    const cache = cacheOf([0, 0], [2, 20], [5, 35]);
    assert.equal(cache.truncateFromEnd(40), false);
    assert.equal(cache.truncateFromEnd(35), true);
    assert.deepEqual(cache.entries(), entries([0, 0], [2, 20]));
    assert.equal(cache.truncateFromEnd(21), false);
    assert.equal(cache.truncateFromEnd(-1), false);
    assert.equal(cache.truncateFromEnd(0), true);
    assert.deepEqual(cache.entries(), []);
  });

  test('truncateFromStart drops entries wholly below and moves the first start up', () => {
    const cache = cacheOf([0, 0], [2, 20], [5, 35]);
    assert.equal(cache.truncateFromStart(0), false);
    assert.equal(cache.truncateFromStart(10), true);
    assert.deepEqual(cache.entries(), entries([0, 10], [2, 20], [5, 35]));
    assert.equal(cache.truncateFromStart(10), false);
    assert.equal(cache.truncateFromStart(20), true);
    assert.deepEqual(cache.entries(), entries([2, 20], [5, 35]));
    assert.equal(cache.truncateFromStart(50), true);
    assert.deepEqual(cache.entries(), entries([5, 50]));
  });

  test('truncateFromStart below the first entry changes nothing', () => {
    const cache = cacheOf([3, 100]);
    assert.equal(cache.truncateFromStart(50), false);
    assert.deepEqual(cache.entries(), entries([3, 100]));
  });

  test('clear', () => {
    const cache = cacheOf([0, 0]);
    assert.equal(cache.clear(), true);
    assert.equal(cache.clear(), false);
    assert.equal(cache.latestEpoch, -1);
  });
});

describe('leader-epoch-checkpoint file', () => {
  const tmp = useTempDir();

  test('format is byte-exact', () => {
    assert.equal(formatLeaderEpochCheckpoint(entries([0, 0], [3, 120])), '0\n2\n0 0\n3 120\n');
    assert.equal(formatLeaderEpochCheckpoint([]), '0\n0\n');
  });

  test('parse round-trips and rejects malformed text', () => {
    assert.deepEqual(parseLeaderEpochCheckpoint('0\n2\n0 0\n3 120\n', 'f'), entries([0, 0], [3, 120]));
    assert.deepEqual(parseLeaderEpochCheckpoint('0\n0\n', 'f'), []);
    for (const bad of ['1\n0\n', '0\n2\n0 0\n', '0\nx\n', '0\n1\n0\n', '0\n1\n0 0 0\n', '0\n1\n-1 0\n', '0\n1\na b\n', '']) {
      assert.throws(() => parseLeaderEpochCheckpoint(bad, 'f'), CorruptCheckpointError, JSON.stringify(bad));
    }
  });

  test('write then read; a missing file reads as null', async () => {
    const file = path.join(tmp(), 'leader-epoch-checkpoint');
    assert.equal(await readLeaderEpochCheckpoint(file), null);
    await writeLeaderEpochCheckpoint(file, entries([0, 0], [3, 120]));
    assert.equal(await fs.promises.readFile(file, 'utf8'), '0\n2\n0 0\n3 120\n');
    assert.deepEqual(await readLeaderEpochCheckpoint(file), entries([0, 0], [3, 120]));
    assert.deepEqual(await fs.promises.readdir(tmp()), ['leader-epoch-checkpoint']);
  });
});
