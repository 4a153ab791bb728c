import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Partition } from '../../src/cluster/partition.js';
import { ReplicaFetcher } from '../../src/replication/replica-fetcher.js';
import { ManualClock } from '../../src/util/clock.js';
import { batchHeaders } from '../storage/batch-builder.js';
import { silentLogger, useTempDir } from '../storage/test-env.js';
import { RecordingClock, leaderAndIsr, newPartition, produced, replicatedBatches, settle } from '../cluster/replication-fixtures.js';
import { SETTINGS, ScriptedLeaders, answerFrom, partitionResponse } from './fetch-fixtures.js';

const KEY = 't-0';
const ACKS_1 = { requiredAcks: 1, minInsyncReplicas: 1 } as const;

/** Broker 2 following leader 1 at `epoch`, fetched by a ReplicaFetcher for leader 1 over ScriptedLeaders. */
async function followerSetup(root: string, epoch = 1): Promise<{ p: Partition; leaders: ScriptedLeaders; clock: RecordingClock; fetcher: ReplicaFetcher }> {
  const p = await newPartition(path.join(root, 'follower'), { brokerId: 2, clock: new ManualClock() });
  p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: epoch, isr: [1, 2] }));
  const leaders = new ScriptedLeaders();
  const clock = new RecordingClock();
  const fetcher = new ReplicaFetcher({ leaderId: 1, send: leaders.send, settings: SETTINGS, brokerEpoch: () => 42, clock, logger: silentLogger });
  return { p, leaders, clock, fetcher };
}

/** Broker 1 leading at `epoch` with ISR [1, 2]. */
async function realLeader(root: string, epoch: number): Promise<Partition> {
  const leader = await newPartition(path.join(root, 'leader'), { brokerId: 1, clock: new ManualClock() });
  leader.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: epoch, isr: [1, 2] }));
  return leader;
}

const headers = async (p: Partition): Promise<number[][]> => {
  const r = await p.log.read(p.logStartOffset, { maxBytes: 1 << 20 });
  return batchHeaders(r.records ?? Buffer.alloc(0)).map((h) => [h.baseOffset, h.lastOffset, h.epoch]);
};

/** The fetcher sleeps exactly `ms` (its only timer) and fetches again only once that time has passed. */
async function expectRefetchAfter(leaders: ScriptedLeaders, clock: RecordingClock, ms: number): Promise<void> {
  await settle();
  assert.deepEqual(clock.delays, [ms]);
  const sent = leaders.calls.length;
  clock.advance(ms - 1);
  await settle();
  assert.equal(leaders.calls.length, sent);
  clock.advance(1);
  await leaders.call(sent);
}

describe('ReplicaFetcher', () => {
  const tmp = useTempDir();

  test('fetches from its log end offset and appends what the leader sends with the leader offsets', async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    const leader = await realLeader(tmp(), 1);
    await leader.appendAsLeader(produced(2), ACKS_1);
    await leader.appendAsLeader(produced(3), ACKS_1);
    fetcher.add(KEY, p);
    const first = await leaders.call(0);
    assert.equal(first.leaderId, 1);
    assert.equal(first.timeoutMs, SETTINGS.maxWaitMs + SETTINGS.requestTimeoutMs);
    assert.deepEqual(first.req, {
      brokerEpoch: 42,
      maxWaitMs: SETTINGS.maxWaitMs,
      minBytes: SETTINGS.minBytes,
      maxBytes: SETTINGS.maxBytes,
      partitions: [{ topic: 't', partition: 0, currentLeaderEpoch: 1, fetchOffset: 0, lastFetchedEpoch: -1, partitionMaxBytes: SETTINGS.partitionMaxBytes }],
    });
    await answerFrom(leader, 2, first);
    const second = await leaders.call(1);
    assert.equal(p.logEndOffset, 5);
    assert.deepEqual(await headers(p), [[0, 1, 1], [2, 4, 1]]);
    assert.deepEqual(await headers(p), await headers(leader));
    assert.equal(p.highWatermark, 0);
    assert.deepEqual(second.req.partitions[0], { topic: 't', partition: 0, currentLeaderEpoch: 1, fetchOffset: 5, lastFetchedEpoch: 1, partitionMaxBytes: SETTINGS.partitionMaxBytes });
    // The second fetch reports the follower's end: the leader's high watermark moves and the follower takes it.
    await answerFrom(leader, 2, second);
    assert.equal(leader.highWatermark, 5);
    await leaders.call(2);
    assert.equal(p.highWatermark, 5);
    fetcher.close();
  });

  test('a diverging epoch truncates the follower to where its log agrees with the leader', async () => {
    // Follower: epoch 1 at offsets 0..4, epoch 2 at 5..9 (written by a leader that lost them).
    const { p, leaders, fetcher } = await followerSetup(tmp(), 3);
    await p.appendAsFollower(replicatedBatches([0, 3, 1], [3, 2, 1], [5, 5, 2]), 0);
    // Leader: epoch 1 only up to offset 3, then epoch 3.
    const leader = await realLeader(tmp(), 1);
    await leader.appendAsLeader(produced(3), ACKS_1);
    leader.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 3, isr: [1, 2] }));
    await leader.appendAsLeader(produced(4), ACKS_1);
    fetcher.add(KEY, p);
    const first = await leaders.call(0);
    assert.deepEqual(first.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch, x.currentLeaderEpoch]), [[10, 2, 3]]);
    await answerFrom(leader, 2, first);
    const second = await leaders.call(1);
    assert.equal(p.logEndOffset, 3);
    assert.deepEqual(p.log.epochEntries(), [{ epoch: 1, startOffset: 0 }]);
    assert.deepEqual(second.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch]), [[3, 1]]);
    await answerFrom(leader, 2, second);
    const third = await leaders.call(2);
    assert.equal(p.logEndOffset, 7);
    assert.deepEqual(await headers(p), [[0, 2, 1], [3, 6, 3]]);
    assert.deepEqual(third.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch]), [[7, 3]]);
    fetcher.close();
  });

  test('an epoch the follower recorded as a short-lived leader, with no records, is dropped and fetching goes on', async () => {
    // Follower: epoch 1 at 0..4, then it led epoch 2 for a moment and recorded "2 starts at 5" without writing.
    const { p, leaders, clock, fetcher } = await followerSetup(tmp(), 3);
    await p.appendAsFollower(replicatedBatches([0, 5, 1]), 0);
    await p.log.maybeAssignEpochStartOffset(2);
    // Leader of epoch 3 never had epoch 2.
    const leader = await realLeader(tmp(), 1);
    await leader.appendAsLeader(produced(5), ACKS_1);
    leader.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 3, isr: [1, 2] }));
    await leader.appendAsLeader(produced(2), ACKS_1);
    fetcher.add(KEY, p);
    const first = await leaders.call(0);
    assert.deepEqual(first.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch]), [[5, 2]]);
    await answerFrom(leader, 2, first);
    const second = await leaders.call(1);
    assert.deepEqual(p.log.epochEntries(), [{ epoch: 1, startOffset: 0 }]);
    assert.deepEqual(second.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch]), [[5, 1]], 'asks again from epoch 1, not epoch 2 forever');
    await answerFrom(leader, 2, second);
    await leaders.call(2);
    assert.equal(p.logEndOffset, 7);
    assert.deepEqual(clock.delays, [], 'no back-off was needed');
    fetcher.close();
  });

  test('OFFSET_OUT_OF_RANGE behind the leader log start: start over at the leader log start', async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    await p.appendAsFollower(replicatedBatches([0, 4, 1]), 4);
    fetcher.add(KEY, p);
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ errorCode: 1, logStartOffset: 50, logEndOffset: 60 })] });
    const next = await leaders.call(1);
    assert.equal(p.logStartOffset, 50);
    assert.equal(p.logEndOffset, 50);
    assert.equal(p.highWatermark, 50);
    assert.deepEqual(next.req.partitions.map((x) => [x.fetchOffset, x.lastFetchedEpoch]), [[50, -1]]);
    fetcher.close();
  });

  test('OFFSET_OUT_OF_RANGE ahead of the leader: truncate to the leader log end offset', async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    await p.appendAsFollower(replicatedBatches([0, 6, 1], [6, 4, 1]), 0);
    fetcher.add(KEY, p);
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ errorCode: 1, logStartOffset: 0, logEndOffset: 6 })] });
    const next = await leaders.call(1);
    assert.equal(p.logEndOffset, 6);
    assert.equal(p.logStartOffset, 0);
    assert.deepEqual(next.req.partitions.map((x) => x.fetchOffset), [6]);
    fetcher.close();
  });

  test('a diverging epoch whose truncation changes nothing backs the partition off instead of asking again at once', async () => {
    const { p, leaders, clock, fetcher } = await followerSetup(tmp());
    await p.appendAsFollower(replicatedBatches([0, 5, 1]), 0);
    fetcher.add(KEY, p);
    // Our epoch 1 ends at 5, the leader says at 7: the target is our own end, so nothing can change.
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ divergingEpoch: { epoch: 1, endOffset: 7 } })] });
    await expectRefetchAfter(leaders, clock, SETTINGS.backoffMs);
    assert.equal(p.logEndOffset, 5);
    fetcher.close();
  });

  test('OFFSET_OUT_OF_RANGE that our position does not explain backs off instead of asking again at once', async () => {
    const { p, leaders, clock, fetcher } = await followerSetup(tmp());
    await p.appendAsFollower(replicatedBatches([0, 5, 1]), 0);
    fetcher.add(KEY, p);
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ errorCode: 1, logStartOffset: 0, logEndOffset: 9 })] });
    await expectRefetchAfter(leaders, clock, SETTINGS.backoffMs);
    assert.equal(p.logEndOffset, 5);
    fetcher.close();
  });

  test('an error outside the leadership errors backs off replica.fetch.backoff.ms', async () => {
    const { p, leaders, clock, fetcher } = await followerSetup(tmp());
    fetcher.add(KEY, p);
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ errorCode: -1 })] });
    await expectRefetchAfter(leaders, clock, SETTINGS.backoffMs);
    fetcher.close();
  });

  test("the leader's log start offset moving up is followed", async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    await p.appendAsFollower(replicatedBatches([0, 5, 1], [5, 5, 1]), 0);
    fetcher.add(KEY, p);
    (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ highWatermark: 10, logStartOffset: 5, logEndOffset: 10 })] });
    await leaders.call(1);
    assert.equal(p.logStartOffset, 5);
    fetcher.close();
  });

  for (const [name, code] of [
    ['NOT_LEADER_OR_FOLLOWER', 6],
    ['FENCED_LEADER_EPOCH', 74],
    ['UNKNOWN_LEADER_EPOCH', 75],
  ] as const) {
    test(`${name} from the leader backs the partition off for 100 ms`, async () => {
      const { p, leaders, clock, fetcher } = await followerSetup(tmp());
      fetcher.add(KEY, p);
      (await leaders.call(0)).respond({ errorCode: 0, partitions: [partitionResponse({ errorCode: code })] });
      await expectRefetchAfter(leaders, clock, 100);
      fetcher.close();
    });
  }

  test('a failed send backs off replica.fetch.backoff.ms', async () => {
    const { p, leaders, clock, fetcher } = await followerSetup(tmp());
    fetcher.add(KEY, p);
    (await leaders.call(0)).fail(new Error('peer connection closed'));
    await expectRefetchAfter(leaders, clock, SETTINGS.backoffMs);
    fetcher.close();
  });

  test('a response for a partition whose leader epoch changed meanwhile is dropped', async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    fetcher.add(KEY, p);
    const first = await leaders.call(0);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2] }));
    first.respond({ errorCode: 0, partitions: [partitionResponse({ records: replicatedBatches([0, 3, 1]), highWatermark: 3, logEndOffset: 3 })] });
    await leaders.call(1);
    assert.equal(p.logEndOffset, 0);
    assert.equal(p.highWatermark, 0);
    fetcher.close();
  });

  test('a removed partition is no longer fetched and its in-flight response is dropped', async () => {
    const { p, leaders, fetcher } = await followerSetup(tmp());
    fetcher.add(KEY, p);
    const first = await leaders.call(0);
    fetcher.remove(KEY);
    assert.equal(fetcher.size, 0);
    first.respond({ errorCode: 0, partitions: [partitionResponse({ records: replicatedBatches([0, 3, 1]), highWatermark: 3, logEndOffset: 3 })] });
    await settle(20);
    assert.equal(p.logEndOffset, 0);
    assert.equal(leaders.calls.length, 1);
  });
});
