import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runBounded } from '../../src/util/bounded.js';
import { ManualClock } from '../../src/util/clock.js';

describe('runBounded', () => {
  test('done when the work finishes first, and its timer is cancelled', async () => {
    const clock = new ManualClock();
    assert.equal(await runBounded(async () => 1, 1000, clock), 'done');
    clock.advance(5000); // nothing left to fire
  });

  test('timeout when the work never finishes', async () => {
    const clock = new ManualClock();
    const outcome = runBounded(() => new Promise(() => {}), 1000, clock);
    clock.advance(999);
    await Promise.resolve();
    clock.advance(1);
    assert.equal(await outcome, 'timeout');
  });

  test("the work's own failure is rethrown", async () => {
    await assert.rejects(runBounded(() => Promise.reject(new Error('boom')), 1000, new ManualClock()), /boom/);
    await assert.rejects(
      runBounded(() => {
        throw new Error('sync boom');
      }, 1000, new ManualClock()),
      /sync boom/,
    );
  });
});
