import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chunks, runWindowed } from '../../src/util/windowed.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('runWindowed', () => {
  test('keeps at most `limit` calls pending, keeps the window full, and returns results in input order', async () => {
    let pending = 0;
    let maxPending = 0;
    const items = Array.from({ length: 50 }, (_, i) => i);
    const results = await runWindowed(items, 7, async (n, index) => {
      assert.equal(index, n);
      pending++;
      maxPending = Math.max(maxPending, pending);
      await tick(n % 3); // finish out of order
      pending--;
      return n * 10;
    });
    assert.equal(maxPending, 7);
    assert.deepEqual(results, items.map((n) => n * 10));
  });

  test('after a failure starts nothing new, waits for the calls under way, then rethrows that failure', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    await assert.rejects(
      runWindowed([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        await tick(n === 1 ? 5 : 0);
        if (n === 0) throw new Error('boom 0');
        finished.push(n);
        return n;
      }),
      /boom 0/,
    );
    assert.deepEqual(started, [0, 1], 'no call starts after the failure');
    assert.deepEqual(finished, [1], 'the call under way was awaited');
  });

  test('empty input and invalid limits', async () => {
    assert.deepEqual(await runWindowed([], 3, async () => 1), []);
    await assert.rejects(runWindowed([1], 0, async () => 1), RangeError);
  });
});

describe('chunks', () => {
  test('cuts into consecutive slices', () => {
    assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunks([], 2), []);
    assert.throws(() => chunks([1], 0), RangeError);
  });
});
