import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/util/clock.js';
import { DelayedOperation, Purgatory } from '../../src/server/purgatory.js';
import { captureLogger } from './wire.js';

/** Completes once `acked` reaches `needed`; records every callback. */
class FakeDelayedProduce extends DelayedOperation {
  acked = 0;
  readonly events: string[] = [];
  constructor(
    delayMs: number,
    readonly needed: number,
  ) {
    super(delayMs);
  }
  tryComplete(): boolean {
    this.events.push('try');
    return this.acked >= this.needed ? this.forceComplete() : false;
  }
  onComplete(): void {
    this.events.push(`complete:${this.acked}`);
  }
  onExpiration(): void {
    this.events.push('expire');
  }
}

function setup(): { clock: ManualClock; purgatory: Purgatory<string> } {
  const clock = new ManualClock();
  const { logger } = captureLogger();
  return { clock, purgatory: new Purgatory<string>({ clock, name: 'Produce', logger }) };
}

describe('Purgatory', () => {
  test('an operation that can complete at once is never watched', () => {
    const { purgatory } = setup();
    const op = new FakeDelayedProduce(1000, 0);
    assert.equal(purgatory.tryCompleteElseWatch(op, ['t-0']), true);
    assert.deepEqual(op.events, ['try', 'complete:0']);
    assert.equal(purgatory.size(), 0);
    assert.equal(purgatory.watchedKeys(), 0);
  });

  test('checkAndComplete completes the watched operation once its condition holds', () => {
    const { clock, purgatory } = setup();
    const op = new FakeDelayedProduce(1000, 2);
    assert.equal(purgatory.tryCompleteElseWatch(op, ['t-0', 't-1']), false);
    assert.equal(purgatory.size(), 1);
    assert.equal(purgatory.watchedKeys(), 2);
    op.acked = 1;
    assert.equal(purgatory.checkAndComplete('t-0'), 0);
    assert.equal(purgatory.checkAndComplete('unwatched'), 0);
    op.acked = 2;
    assert.equal(purgatory.checkAndComplete('t-1'), 1);
    assert.equal(op.isCompleted, true);
    assert.equal(purgatory.size(), 0);
    assert.equal(purgatory.watchedKeys(), 0, 'completed operations leave every key they were watched under');
    assert.equal(purgatory.checkAndComplete('t-0'), 0);
    clock.advance(5000);
    assert.deepEqual(op.events, ['try', 'try', 'try', 'complete:2'], 'no expiration after completion');
  });

  test('an operation expires after its delay: onComplete then onExpiration, once', () => {
    const { clock, purgatory } = setup();
    const op = new FakeDelayedProduce(1000, 1);
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    clock.advance(999);
    assert.equal(op.isCompleted, false);
    clock.advance(1);
    assert.equal(op.isCompleted, true);
    assert.deepEqual(op.events, ['try', 'complete:0', 'expire']);
    assert.equal(purgatory.size(), 0);
    op.acked = 1;
    assert.equal(purgatory.checkAndComplete('t-0'), 0);
    assert.equal(op.forceComplete(), false);
    assert.deepEqual(op.events, ['try', 'complete:0', 'expire']);
  });

  test('forceComplete from outside (an aborted wait) completes exactly once and cancels the expiry', () => {
    const { clock, purgatory } = setup();
    const op = new FakeDelayedProduce(1000, 1);
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    assert.equal(op.forceComplete(), true);
    assert.equal(op.forceComplete(), false);
    assert.equal(purgatory.size(), 0);
    clock.advance(2000);
    assert.deepEqual(op.events, ['try', 'complete:0']);
  });

  test('one key can hold many operations; each completes independently', () => {
    const { clock, purgatory } = setup();
    const a = new FakeDelayedProduce(100, 1);
    const b = new FakeDelayedProduce(200, 2);
    purgatory.tryCompleteElseWatch(a, ['t-0']);
    purgatory.tryCompleteElseWatch(b, ['t-0', 't-0']);
    assert.equal(purgatory.size(), 2);
    a.acked = 1;
    b.acked = 1;
    assert.equal(purgatory.checkAndComplete('t-0'), 1);
    clock.advance(200);
    assert.deepEqual(a.events, ['try', 'try', 'complete:1']);
    assert.deepEqual(b.events, ['try', 'try', 'complete:1', 'expire']);
  });

  test('an operation that throws in tryComplete is logged and keeps waiting, others still complete', () => {
    const clock = new ManualClock();
    const { logger, entries } = captureLogger();
    const purgatory = new Purgatory<string>({ clock, name: 'Fetch', logger });
    let fail = false;
    class Flaky extends FakeDelayedProduce {
      override tryComplete(): boolean {
        if (fail) throw new Error('boom');
        return super.tryComplete();
      }
    }
    const flaky = new Flaky(100, 1);
    const good = new FakeDelayedProduce(100, 1);
    purgatory.tryCompleteElseWatch(flaky, ['k']);
    purgatory.tryCompleteElseWatch(good, ['k']);
    fail = true;
    good.acked = 1;
    assert.equal(purgatory.checkAndComplete('k'), 1);
    assert.equal(flaky.isCompleted, false);
    assert.ok(entries.some((e) => e.level === 'error' && e['purgatory'] === 'Fetch' && String(e['error']).includes('boom')));
    clock.advance(100);
    assert.deepEqual(flaky.events, ['try', 'complete:0', 'expire']);
  });

  test('shutdown force-completes waiting operations without expiring them, and later ones at once', () => {
    const { clock, purgatory } = setup();
    const op = new FakeDelayedProduce(1000, 1);
    purgatory.tryCompleteElseWatch(op, ['t-0']);
    purgatory.shutdown();
    assert.deepEqual(op.events, ['try', 'complete:0']);
    assert.equal(purgatory.size(), 0);
    const late = new FakeDelayedProduce(1000, 1);
    assert.equal(purgatory.tryCompleteElseWatch(late, ['t-0']), true);
    assert.deepEqual(late.events, ['complete:0']);
    clock.advance(2000);
    assert.deepEqual(op.events, ['try', 'complete:0']);
  });

  test('a negative delay is refused', () => {
    assert.throws(() => new FakeDelayedProduce(-1, 0), RangeError);
  });
});
