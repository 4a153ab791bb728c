import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketIndex, bucketRange, LatencyHistogram } from '../../src/cli/perf/latency-histogram.js';
import { PerfStats } from '../../src/cli/perf/perf-stats.js';

const close = (actual: number, expected: number, relative: number): void =>
  assert.ok(Math.abs(actual - expected) <= expected * relative, `${actual} not within ${relative * 100}% of ${expected}`);

describe('latency histogram buckets', () => {
  test('every value lies in the range of its bucket, buckets ascend and stay narrow', () => {
    let previous = -1;
    for (let v = 0; v < 5_000_000; v = v < 1000 ? v + 1 : Math.ceil(v * 1.003)) {
      const i = bucketIndex(v);
      const { low, high } = bucketRange(i);
      assert.ok(low <= v && v <= high, `${v} in [${low}, ${high}] (bucket ${i})`);
      assert.ok(i >= previous, `bucket of ${v} before the previous value's`);
      assert.ok(high - low <= Math.max(0, low / 64), `bucket [${low}, ${high}] too wide`);
      previous = i;
    }
  });
});

describe('LatencyHistogram', () => {
  test('an empty histogram has no statistics', () => {
    const h = new LatencyHistogram();
    assert.equal(h.count, 0);
    assert.ok(Number.isNaN(h.percentileMs(0.5)) && Number.isNaN(h.meanMs) && Number.isNaN(h.maxMs));
  });

  test('percentiles of 1..1000 ms are within a bucket of the exact ones; mean and max are exact', () => {
    const h = new LatencyHistogram();
    for (let ms = 1000; ms >= 1; ms--) h.record(ms);
    assert.equal(h.count, 1000);
    assert.equal(h.meanMs, 500.5);
    assert.equal(h.maxMs, 1000);
    close(h.percentileMs(0.5), 500, 0.01);
    close(h.percentileMs(0.95), 950, 0.01);
    close(h.percentileMs(0.99), 990, 0.01);
    close(h.percentileMs(0.999), 999, 0.01);
    assert.ok(h.percentileMs(1) <= 1000);
  });

  test('sub-millisecond latencies keep microsecond resolution', () => {
    const h = new LatencyHistogram();
    h.record(0.012);
    h.record(0.05);
    assert.equal(h.percentileMs(0.5), 0.012);
    assert.equal(h.percentileMs(1), 0.05);
  });

  test('a weighted sample counts once per record: one slow batch of 1 record against 99 fast ones', () => {
    const h = new LatencyHistogram();
    h.record(2, 99);
    h.record(400, 1);
    assert.equal(h.count, 100);
    close(h.percentileMs(0.99), 2, 0.01);
    close(h.percentileMs(0.999), 400, 0.01);
    close(h.meanMs, (2 * 99 + 400) / 100, 1e-9);
  });

  test('a percentile never reports more than the maximum seen', () => {
    const h = new LatencyHistogram();
    h.record(1000.001);
    assert.equal(h.percentileMs(0.5), 1000.001);
  });
});

describe('PerfStats', () => {
  test('totals accumulate; each window covers the time and records since the previous one', () => {
    const s = new PerfStats(1000);
    s.complete(10, 1000, 5);
    s.complete(30, 3000, 1);
    const w1 = s.takeWindow(3000);
    assert.deepEqual(w1, { records: 40, bytes: 4000, elapsedMs: 2000, avgLatencyMs: 2, maxLatencyMs: 5 });
    s.complete(5, 500);
    const w2 = s.takeWindow(4000);
    assert.equal(w2.records, 5);
    assert.equal(w2.elapsedMs, 1000);
    assert.ok(Number.isNaN(w2.avgLatencyMs) && Number.isNaN(w2.maxLatencyMs), 'no latency without acknowledgements');
    assert.equal(s.records, 45);
    assert.equal(s.bytes, 4500);
    assert.equal(s.latency.count, 40);
    s.error('NOT_LEADER_OR_FOLLOWER');
    s.error('NOT_LEADER_OR_FOLLOWER');
    assert.deepEqual([...s.errors], [['NOT_LEADER_OR_FOLLOWER', 2]]);
  });
});
