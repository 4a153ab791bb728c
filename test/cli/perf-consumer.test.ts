// ConsumerPerf against in-process stand-in brokers: every record read once across leaders, OFFSET_OUT_OF_RANGE
// reset to the log start, a non-retriable error ends the run, a moved leader is found again, --max-in-flight is a
// per-leader limit, and --timeout-ms ends a run against a broker that never answers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumerPerf, type ConsumerPerfResult } from '../../src/cli/perf/consumer-perf.js';
import { PerfCluster } from '../../src/cli/perf/perf-cluster.js';
import { PerfError } from '../../src/cli/perf/perf-error.js';
import type { ConsumerPerfOptions } from '../../src/cli/perf/perf-options.js';
import { errorCode } from '../../src/protocol/error-codes.js';
import { buildRecordBatch } from '../../src/protocol/record-batch.js';
import { systemClock } from '../../src/util/clock.js';
import { StandInBroker, standInTopology, type StandInTopology } from './stand-in-broker.js';

const TOPIC = 'perf-fake';
const OFFSET_OUT_OF_RANGE = errorCode('OFFSET_OUT_OF_RANGE');
const NOT_LEADER_OR_FOLLOWER = errorCode('NOT_LEADER_OR_FOLLOWER');
const TOPIC_AUTHORIZATION_FAILED = errorCode('TOPIC_AUTHORIZATION_FAILED');

/** Contiguous batches from `baseOffset` of `counts[i]` records of 10 bytes; a 0 stands for a one-record control batch. */
function log(baseOffset: number, counts: readonly number[]): Buffer[] {
  let offset = baseOffset;
  return counts.map((n) => {
    const batch = buildRecordBatch({ baseOffset: offset, baseTimestamp: 1_700_000_000_000, isControl: n === 0, records: Array.from({ length: Math.max(n, 1) }, () => ({ value: Buffer.alloc(10) })) });
    offset += Math.max(n, 1);
    return batch;
  });
}

interface Run {
  readonly result: Promise<ConsumerPerfResult>;
  readonly startedAt: number;
}

describe('ConsumerPerf', { timeout: 4000 }, () => {
  const brokers: StandInBroker[] = [];
  after(() => {
    for (const b of brokers) b.close();
  });

  /** Stand-ins for node ids 1..count sharing `topology`, listening. */
  const cluster = async (topology: StandInTopology, count: number): Promise<StandInBroker[]> => {
    const created = Array.from({ length: count }, (_, i) => new StandInBroker(topology, i + 1));
    brokers.push(...created);
    for (const b of created) {
      b.maxBatchesPerFetch = 1;
      await b.listen();
    }
    return created;
  };

  const consume = (bootstrap: StandInBroker, overrides: Partial<ConsumerPerfOptions> & Pick<ConsumerPerfOptions, 'messages'>): Run => {
    const options: ConsumerPerfOptions = {
      topic: TOPIC, bootstrap: [{ host: '127.0.0.1', port: bootstrap.port }], fetchMaxBytes: 1 << 20, fetchSize: 1 << 20, timeoutMs: 3000, maxInFlight: 5, ...overrides,
    };
    const perfCluster = new PerfCluster(TOPIC, options.bootstrap, systemClock);
    const startedAt = performance.now();
    const result = new ConsumerPerf(options, systemClock, perfCluster).run().finally(() => perfCluster.close());
    return { result, startedAt };
  };

  test('reads every record of partitions on two leaders exactly once, each Fetch from where the last one ended', async () => {
    const topology = standInTopology(TOPIC, [[0, 1], [1, 2], [2, 1], [3, 2]]);
    const [b1, b2] = await cluster(topology, 2);
    assert.ok(b1 !== undefined && b2 !== undefined);
    const logs = { 0: log(0, [5, 7, 3]), 1: log(0, [4, 4]), 2: log(0, [1, 9, 2, 6]), 3: log(0, [3, 0, 5]) };
    b1.logs.set(0, { batches: logs[0] }).set(2, { batches: logs[2] });
    b2.logs.set(1, { batches: logs[1] }).set(3, { batches: logs[3] });

    const result = await consume(b1, { messages: 15 + 8 + 18 + 8 }).result;
    assert.equal(result.stats.records, 49);
    const bytes = Object.values(logs).flat().reduce((n, b) => n + b.length, 0) - (logs[3][1]?.length ?? 0);
    assert.equal(result.stats.bytes, bytes, 'every data batch counted once, the control batch not at all');
    assert.equal(result.partitions, 4);
    assert.equal(result.timedOut, false);
    assert.equal(result.aborted, false);
    assert.ok(result.firstRecordMs !== undefined && result.firstRecordMs <= result.elapsedMs);
    assert.deepEqual([...result.stats.errors], []);

    // One batch per Fetch: each partition's position moved to the end of the batch just read, control batch included.
    assert.deepEqual(b1.servedOffsets(0), [0, 5, 12]);
    assert.deepEqual(b1.servedOffsets(2), [0, 1, 10, 12]);
    assert.deepEqual(b2.servedOffsets(1), [0, 4]);
    assert.deepEqual(b2.servedOffsets(3), [0, 3, 4]);
    assert.deepEqual(new Set(b1.fetches.map((f) => f.partition)), new Set([0, 2]), 'broker 1 is asked only for the partitions it leads');
    assert.deepEqual(new Set(b2.fetches.map((f) => f.partition)), new Set([1, 3]));
    assert.ok([...b1.fetches, ...b2.fetches].every((f) => f.errorCode === 0));
  });

  test('stops counting at --messages', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1]]), 1);
    assert.ok(b !== undefined);
    b.logs.set(0, { batches: log(0, [4, 4, 4]) });
    const result = await consume(b, { messages: 6 }).result;
    assert.equal(result.stats.records, 6);
    assert.deepEqual(b.servedOffsets(0), [0, 4], 'the run ended with the batch holding the sixth record');
  });

  test('the next Fetch is written as soon as a response is in, before that response is CRC-checked (prefetch)', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1]]), 1);
    assert.ok(b !== undefined);
    const batches = log(0, [5, 5, 5]);
    const corrupt = Buffer.from(batches[1] as Buffer);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1); // a record byte: the CRC no longer matches
    b.logs.set(0, { batches: [batches[0] as Buffer, corrupt, batches[2] as Buffer] });

    await assert.rejects(consume(b, { messages: 15 }).result, (err: unknown) => err instanceof PerfError && /corrupt record batch in perf-fake-0: .*CRC mismatch/.test(err.message));
    // The Fetch from 10 went out when the corrupt batch's response arrived, before its check failed the run.
    const deadline = performance.now() + 1000;
    while (!b.fetches.some((f) => f.fetchOffset === 10) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(b.fetches.map((f) => f.fetchOffset), [0, 5, 10]);
  });

  test('OFFSET_OUT_OF_RANGE moves the partition to the log start (ListOffsets earliest) and reading goes on', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1], [1, 1]]), 1);
    assert.ok(b !== undefined);
    b.logs.set(0, { batches: log(100, [4, 6]) }).set(1, { batches: log(0, [3]) });

    const result = await consume(b, { messages: 13 }).result;
    assert.equal(result.stats.records, 13);
    assert.deepEqual(b.listOffsets, [{ partition: 0, timestamp: -2n }]);
    assert.deepEqual(b.fetches.filter((f) => f.errorCode !== 0).map((f) => [f.partition, f.fetchOffset, f.errorCode]), [[0, 0, OFFSET_OUT_OF_RANGE]]);
    assert.deepEqual(b.servedOffsets(0), [100, 104]);
    assert.deepEqual(b.servedOffsets(1), [0]);
  });

  test('a non-retriable partition error ends the run with a PerfError naming the partition, broker and error', async () => {
    const [b1, b2] = await cluster(standInTopology(TOPIC, [[0, 1], [1, 2]]), 2);
    assert.ok(b1 !== undefined && b2 !== undefined);
    b1.logs.set(0, { batches: log(0, [5, 5]) });
    b2.logs.set(1, { batches: log(0, [5, 5]), errors: [TOPIC_AUTHORIZATION_FAILED] });

    const run = consume(b1, { messages: 20 });
    await assert.rejects(run.result, (err: unknown) => {
      assert.ok(err instanceof PerfError, String(err));
      assert.equal(err.message, `fetching ${TOPIC}-1 from broker 2 failed: TOPIC_AUTHORIZATION_FAILED`);
      return true;
    });
    const elapsed = performance.now() - run.startedAt;
    assert.ok(elapsed < 1000, `ended at once, not at --timeout-ms: ${elapsed} ms`);
    assert.equal(b2.fetches.filter((f) => f.partition === 1).length, 1, 'not retried');
  });

  test('NOT_LEADER_OR_FOLLOWER: metadata is asked again and the partition is read on from its new leader', async () => {
    const topology = standInTopology(TOPIC, [[0, 1], [1, 1]]);
    const [b1, b2] = await cluster(topology, 2);
    assert.ok(b1 !== undefined && b2 !== undefined);
    const moving = log(0, [4, 4, 4]);
    b1.logs.set(0, { batches: log(0, [5, 5]) }).set(1, { batches: moving });
    b2.logs.set(1, { batches: moving });
    // Leadership of partition 1 moves to broker 2 once broker 1 has served its first batch.
    b1.onFetch = (f) => {
      if (f.partition === 1 && f.records > 0) topology.leaders.set(1, 2);
    };

    const result = await consume(b1, { messages: 22 }).result;
    assert.equal(result.stats.records, 22);
    assert.deepEqual([...result.stats.errors], [['NOT_LEADER_OR_FOLLOWER', 1]]);
    assert.deepEqual(b1.fetches.filter((f) => f.partition === 1).map((f) => [f.fetchOffset, f.errorCode]), [[0, 0], [4, NOT_LEADER_OR_FOLLOWER]]);
    assert.deepEqual(b2.servedOffsets(1), [4, 8], 'the new leader is read from the position reached on the old one');
    assert.ok(b1.metadataRequests + b2.metadataRequests >= 2, 'metadata refreshed');
  });

  test('--max-in-flight limits the Fetches outstanding at each leader, not in all', async () => {
    const leaders = [0, 1, 2, 3, 4, 5, 6, 7].map((p) => [p, p < 6 ? 1 : 2] as const);
    const [b1, b2] = await cluster(standInTopology(TOPIC, leaders), 2);
    assert.ok(b1 !== undefined && b2 !== undefined);
    for (const [p, leader] of leaders) (leader === 1 ? b1 : b2).logs.set(p, { batches: log(0, [2, 2, 2, 2]) });
    b1.fetchDelayMs = 5;
    b2.fetchDelayMs = 5;

    const result = await consume(b1, { messages: 64, maxInFlight: 2 }).result;
    assert.equal(result.stats.records, 64);
    assert.equal(b1.maxPendingFetches, 2, 'six partitions on broker 1: two Fetches at a time');
    assert.equal(b2.maxPendingFetches, 2);
    for (const [p, leader] of leaders) assert.deepEqual((leader === 1 ? b1 : b2).servedOffsets(p), [0, 2, 4, 6], `partition ${p}`);
  });

  test('a broker that never answers Fetch: --timeout-ms ends the run', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1], [1, 1]]), 1);
    assert.ok(b !== undefined);
    b.logs.set(0, { batches: log(0, [3]), silent: true }).set(1, { batches: log(0, [3]), silent: true });

    const run = consume(b, { messages: 6, timeoutMs: 300 });
    const result = await run.result;
    const elapsed = performance.now() - run.startedAt;
    assert.equal(result.timedOut, true);
    assert.equal(result.stats.records, 0);
    assert.equal(result.firstRecordMs, undefined);
    assert.ok(b.fetches.length >= 2, 'the Fetches were sent');
    assert.ok(elapsed >= 290 && elapsed < 1000, `ended after --timeout-ms: ${elapsed} ms`);
  });
  test('--timeout-ms also ends a run whose Metadata refresh, after a failed Fetch, is never answered', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1]]), 1);
    assert.ok(b !== undefined);
    b.metadataAnswers = 1;
    b.logs.set(0, { batches: log(0, [3]), errors: [NOT_LEADER_OR_FOLLOWER] });
    const run = consume(b, { messages: 3, timeoutMs: 300 });
    const result = await run.result;
    assert.equal(result.timedOut, true);
    assert.ok(performance.now() - run.startedAt < 1000);
    assert.equal(b.metadataRequests, 2, 'the refresh was sent, and the stop ended it');
    assert.equal(b.connections, 2, 'one connection for metadata, one for fetching: no broker is dialled once the run stopped');
  });

  test('--timeout-ms also ends a run whose ListOffsets (reset to earliest) is never answered', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1]]), 1);
    assert.ok(b !== undefined);
    b.answerListOffsets = false;
    b.logs.set(0, { batches: log(10, [3]) });
    const run = consume(b, { messages: 3, timeoutMs: 300 });
    const result = await run.result;
    assert.equal(result.timedOut, true);
    assert.ok(performance.now() - run.startedAt < 1000);
  });

  test('--timeout-ms also ends a run whose first Metadata is never answered', async () => {
    const [b] = await cluster(standInTopology(TOPIC, [[0, 1]]), 1);
    assert.ok(b !== undefined);
    b.metadataAnswers = 0;
    const run = consume(b, { messages: 3, timeoutMs: 300 });
    await assert.rejects(run.result, (err: unknown) => err instanceof PerfError && /metadata of perf-fake/.test(err.message));
    assert.ok(performance.now() - run.startedAt < 1000);
  });
});
