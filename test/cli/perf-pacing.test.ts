import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/util/clock.js';
import { planBatch, ThroughputPacer, type BatchPlan } from '../../src/cli/perf/throughput-pacer.js';

describe('ThroughputPacer', () => {
  test('record n arrives at start + n / rate', () => {
    const p = new ThroughputPacer(1000, 100);
    assert.equal(p.arrivalMs(0), 100);
    assert.equal(p.arrivalMs(5), 105);
    assert.equal(p.arrived(99.9), 0);
    assert.equal(p.arrived(100), 1);
    assert.equal(p.arrived(100.999), 1);
    assert.equal(p.arrived(101), 2);
    assert.equal(p.arrived(1099), 1000);
  });

  test('a rate whose interval is not a whole number still counts the record arriving at its own time', () => {
    const p = new ThroughputPacer(3, 0);
    for (let n = 0; n < 100; n++) assert.equal(p.arrived(p.arrivalMs(n)), n + 1, `record ${n}`);
  });

  test('without a rate everything has arrived at the start', () => {
    const p = new ThroughputPacer(-1, 50);
    assert.equal(p.unlimited, true);
    assert.equal(p.arrived(50), Infinity);
    assert.equal(p.arrivalMs(1_000_000), 50);
  });
});

describe('planBatch', () => {
  const base = { taken: 0, total: 100, fullBatch: 10, lingerMs: 0, nowMs: 0 };

  test('unlimited: full batches, then the remainder, then done', () => {
    const pacer = new ThroughputPacer(-1, 0);
    assert.deepEqual(planBatch({ ...base, pacer }), { kind: 'send', records: 10 });
    assert.deepEqual(planBatch({ ...base, pacer, taken: 95 }), { kind: 'send', records: 5 });
    assert.deepEqual(planBatch({ ...base, pacer, taken: 100 }), { kind: 'done' });
  });

  test('paced without linger: whatever has arrived leaves at once', () => {
    const pacer = new ThroughputPacer(1000, 0);
    assert.deepEqual(planBatch({ ...base, pacer }), { kind: 'send', records: 1 });
    assert.deepEqual(planBatch({ ...base, pacer, taken: 1, nowMs: 0.5 }), { kind: 'wait', untilMs: 1 });
    assert.deepEqual(planBatch({ ...base, pacer, taken: 1, nowMs: 3.2 }), { kind: 'send', records: 3 });
  });

  test('paced with linger: a batch waits for its first record plus linger, or until it is full', () => {
    const slow = new ThroughputPacer(1000, 0);
    assert.deepEqual(planBatch({ ...base, pacer: slow, lingerMs: 5 }), { kind: 'wait', untilMs: 5 });
    assert.deepEqual(planBatch({ ...base, pacer: slow, lingerMs: 5, nowMs: 5 }), { kind: 'send', records: 6 });
    const fast = new ThroughputPacer(10_000, 0);
    assert.deepEqual(planBatch({ ...base, pacer: fast, lingerMs: 5 }), { kind: 'wait', untilMs: 0.9 });
    assert.deepEqual(planBatch({ ...base, pacer: fast, lingerMs: 5, nowMs: 0.9 }), { kind: 'send', records: 10 });
  });

  test('driven by a clock, a paced run sends every record at the rate', () => {
    const clock = new ManualClock(0);
    const pacer = new ThroughputPacer(2000, 0);
    const sends: Array<{ at: number; records: number }> = [];
    let taken = 0;
    for (let steps = 0; steps < 10_000; steps++) {
      const plan: BatchPlan = planBatch({ pacer, taken, total: 1000, fullBatch: 16, lingerMs: 3, nowMs: clock.now() });
      if (plan.kind === 'done') break;
      if (plan.kind === 'send') {
        sends.push({ at: clock.now(), records: plan.records });
        taken += plan.records;
      } else {
        assert.ok(plan.untilMs > clock.now(), 'a wait always moves time forward');
        clock.advance(plan.untilMs - clock.now());
      }
    }
    assert.equal(taken, 1000);
    assert.equal(sends.reduce((n, s) => n + s.records, 0), 1000);
    // 1000 records at 2000/s: the last arrives at 499.5 ms and leaves within the linger.
    const last = sends.at(-1);
    assert.ok(last !== undefined && last.at >= 499.5 && last.at <= 502.5, `last send at ${last?.at}`);
    // Never ahead of the rate: by each send, the records sent so far had all arrived.
    let sent = 0;
    for (const s of sends) {
      sent += s.records;
      assert.ok(sent <= pacer.arrived(s.at), `${sent} records sent by ${s.at} ms`);
    }
    // Linger 3 ms at 2 records/ms: batches of 7 (the first record plus 3 ms of arrivals), none held longer.
    assert.ok(sends.slice(0, -1).every((s) => s.records === 7), JSON.stringify(sends.slice(0, 5)));
  });
});
