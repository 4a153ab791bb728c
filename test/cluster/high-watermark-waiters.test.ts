import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HighWatermarkWaiters } from '../../src/cluster/high-watermark-waiters.js';
import { ManualClock } from '../../src/util/clock.js';

test('a waiter resolves true when notified and its condition holds, once', async () => {
  const clock = new ManualClock();
  const w = new HighWatermarkWaiters(clock);
  let hw = 0;
  const p = w.waitFor('t-0', () => hw >= 5, 1000);
  w.notify('t-0');
  assert.equal(w.size(), 1);
  hw = 5;
  w.notify('t-0');
  assert.equal(await p, true);
  assert.equal(w.size(), 0);
});

test('a waiter resolves false when its timeout passes first', async () => {
  const clock = new ManualClock();
  const w = new HighWatermarkWaiters(clock);
  const p = w.waitForAny(['a', 'b'], () => false, 500);
  clock.advance(499);
  assert.equal(w.size(), 2);
  clock.advance(1);
  assert.equal(await p, false);
  assert.equal(w.size(), 0);
});

test('an aborted wait resolves false at once', async () => {
  const w = new HighWatermarkWaiters(new ManualClock());
  const ac = new AbortController();
  const p = w.waitForAny(['a'], () => false, 10_000, ac.signal);
  ac.abort();
  assert.equal(await p, false);
});

test('waitForAny checks before it parks: a condition already true resolves at once', async () => {
  const w = new HighWatermarkWaiters(new ManualClock());
  assert.equal(await w.waitForAny(['a', 'b'], () => true, 10_000), true);
  assert.equal(w.size(), 0);
});
