import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Partition } from '../../src/cluster/partition.js';
import { ManualClock } from '../../src/util/clock.js';
import { useTempDir } from '../storage/test-env.js';
import { FakeAlterIsr, leaderAndIsr, newPartition, produced, replicatedBatches } from './replication-fixtures.js';

const LAG = 10_000;
const ACKS_1 = { requiredAcks: 1, minInsyncReplicas: 1 } as const;

interface Leader {
  p: Partition;
  clock: ManualClock;
  alter: FakeAlterIsr;
  hwChanges: () => number;
}

/** Broker 1 leading `t-0` at epoch 1 with `records` records appended. */
async function leader(root: string, isr: number[], records: number, replicas = [1, 2, 3]): Promise<Leader> {
  const clock = new ManualClock();
  const alter = new FakeAlterIsr();
  let changes = 0;
  const p = await newPartition(root, { brokerId: 1, clock, alterIsr: alter, onHighWatermarkChange: () => changes++ });
  assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 1, isr, replicas })), true);
  if (records > 0) await p.appendAsLeader(produced(records), ACKS_1);
  return { p, clock, alter, hwChanges: () => changes };
}

const fetched = (p: Partition, brokerId: number, offset: number): void => p.updateFollowerFetchState(brokerId, offset);

function kafkaError(name: string): (err: unknown) => boolean {
  return (err) => (err as { kafkaError?: string }).kafkaError === name;
}

describe('Partition leadership (applyLeaderAndIsr)', () => {
  const tmp = useTempDir();

  test('an equal or older leader epoch is ignored', async () => {
    const { p } = await leader(tmp(), [1, 2, 3], 0);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 3, isr: [1, 2], zkVersion: 4 })), true);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 3, isr: [2], zkVersion: 5 })), false);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 2, isr: [2], zkVersion: 6 })), false);
    assert.equal(p.leader, 1);
    assert.equal(p.leaderEpoch, 3);
    assert.deepEqual(p.isr, [1, 2]);
    assert.equal(p.zkVersion, 4);
  });

  test('becoming leader: ISR members count as caught up now, followers have no position yet', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2], 10);
    assert.equal(p.isLeader, true);
    assert.deepEqual(p.replicas, [1, 2, 3]);
    // Follower 2 has not fetched: the high watermark stays where it was.
    assert.equal(p.highWatermark, 0);
    clock.advance(LAG);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 0);
    clock.advance(1);
    p.maybeShrinkIsr(LAG);
    assert.deepEqual(alter.last.item.newIsr, [1]);
  });

  test('staying leader in a new epoch keeps the followers positions', async () => {
    const { p } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 2, 4);
    fetched(p, 3, 8);
    assert.equal(p.highWatermark, 4);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2, 3] })), true);
    // Follower 3 is still known at 8, so follower 2 reaching the end moves the high watermark to 8.
    fetched(p, 2, 10);
    assert.equal(p.highWatermark, 8);
  });

  test('staying leader in a new epoch gives every ISR member a fresh lag window (Kafka resets lastCaughtUpTime in makeLeader)', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 2, 10);
    fetched(p, 3, 4);
    clock.advance(8000);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2, 3] })), true);
    clock.advance(3000);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 0, 'follower 3 was behind for 11 s, but only 3 s in this leader epoch');
    clock.advance(LAG);
    p.maybeShrinkIsr(LAG);
    assert.deepEqual(alter.last.item.newIsr, [1, 2], 'a full lag window later 3 is out; 2 is at the log end, so never out of sync');
  });

  test('a broker that was a follower starts its followers from scratch when it becomes leader', async () => {
    const clock = new ManualClock();
    const p = await newPartition(tmp(), { brokerId: 1, clock });
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 1, isr: [1, 2, 3] }));
    await p.appendAsFollower(replicatedBatches([0, 10, 1]), 4);
    assert.equal(p.highWatermark, 4);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2, 3] }));
    fetched(p, 2, 10);
    // Follower 3 has no position: the high watermark waits for it.
    assert.equal(p.highWatermark, 4);
    fetched(p, 3, 9);
    assert.equal(p.highWatermark, 9);
  });

  test('becoming follower: no leader operations, and a late ISR answer changes nothing', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 5);
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 1);
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 2, isr: [2, 3], zkVersion: 3 })), true);
    assert.equal(p.isLeader, false);
    assert.equal(p.leader, 2);
    alter.commitLast(9);
    assert.deepEqual(p.isr, [2, 3]);
    assert.equal(p.zkVersion, 3);
    assert.equal(p.ackOutcome(0, 1), 'NOT_LEADER_OR_FOLLOWER');
    await assert.rejects(p.appendAsLeader(produced(1), ACKS_1), kafkaError('NOT_LEADER_OR_FOLLOWER'));
    await assert.rejects(
      p.fetchForFollower(3, { fetchOffset: 0, lastFetchedEpoch: -1, currentLeaderEpoch: 2, maxBytes: 1000 }),
      kafkaError('NOT_LEADER_OR_FOLLOWER'),
    );
    clock.advance(10 * LAG);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 1);
  });
});

describe('Partition high watermark as leader', () => {
  const tmp = useTempDir();

  test('is the smallest log end offset among the ISR; replicas outside the ISR do not hold it', async () => {
    const { p, hwChanges } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 2, 10);
    assert.equal(p.highWatermark, 0);
    fetched(p, 3, 6);
    assert.equal(p.highWatermark, 6);
    assert.equal(p.log.highWatermark, 6);
    fetched(p, 3, 10);
    assert.equal(p.highWatermark, 10);
    assert.equal(hwChanges(), 2);
  });

  test('a follower outside the ISR does not hold the high watermark', async () => {
    const { p, alter } = await leader(tmp(), [1, 2], 10);
    fetched(p, 2, 10);
    fetched(p, 3, 1);
    assert.equal(p.highWatermark, 10);
    assert.equal(alter.submitted.length, 0);
    await p.appendAsLeader(produced(5), ACKS_1);
    fetched(p, 2, 15);
    assert.equal(p.highWatermark, 15);
  });

  test('a leader alone in the ISR moves the high watermark with each append', async () => {
    const { p } = await leader(tmp(), [1], 0, [1, 2]);
    const r = await p.appendAsLeader(produced(3), ACKS_1);
    assert.equal(r.baseOffset, 0);
    assert.equal(r.lastOffset, 2);
    assert.equal(p.highWatermark, 3);
  });

  test('never moves back', async () => {
    const { p } = await leader(tmp(), [1, 2], 10);
    fetched(p, 2, 8);
    assert.equal(p.highWatermark, 8);
    fetched(p, 2, 5);
    assert.equal(p.highWatermark, 8);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2, 3] }));
    assert.equal(p.highWatermark, 8);
  });
});

describe('Partition ISR changes', () => {
  const tmp = useTempDir();

  test('a follower that reaches the high watermark is proposed into the ISR', async () => {
    const { p, alter } = await leader(tmp(), [1, 2], 10);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2], zkVersion: 5 }));
    fetched(p, 2, 10);
    fetched(p, 3, 4);
    assert.equal(alter.submitted.length, 0);
    fetched(p, 3, 10);
    assert.deepEqual(alter.last.item, { topic: 't', partition: 0, leaderEpoch: 2, newIsr: [1, 2, 3], currentIsrVersion: 5 });
    assert.deepEqual(p.isr, [1, 2]);
    assert.deepEqual(p.maximalIsr, [1, 2, 3]);
    alter.commitLast(6);
    assert.deepEqual(p.isr, [1, 2, 3]);
    assert.deepEqual(p.maximalIsr, [1, 2, 3]);
    assert.equal(p.zkVersion, 6);
  });

  test('a follower must also reach the offset where this leader epoch started', async () => {
    const clock = new ManualClock();
    const alter = new FakeAlterIsr();
    const p = await newPartition(tmp(), { brokerId: 1, clock, alterIsr: alter });
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 1, isr: [1, 2] }));
    await p.appendAsFollower(replicatedBatches([0, 10, 1]), 3);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2] }));
    assert.equal(p.highWatermark, 3);
    fetched(p, 3, 5);
    assert.equal(alter.submitted.length, 0);
    fetched(p, 3, 10);
    assert.deepEqual(alter.last.item.newIsr, [1, 2, 3]);
  });

  test('only one proposal is in flight at a time', async () => {
    const { p, clock, alter } = await leader(tmp(), [1], 10);
    assert.equal(p.highWatermark, 10);
    fetched(p, 2, 10);
    assert.deepEqual(alter.last.item.newIsr, [1, 2]);
    fetched(p, 3, 10);
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 1);
    alter.commitLast(1);
    fetched(p, 3, 10);
    assert.equal(alter.submitted.length, 2);
    assert.deepEqual(alter.last.item, { topic: 't', partition: 0, leaderEpoch: 1, newIsr: [1, 2, 3], currentIsrVersion: 1 });
  });

  test('followers not caught up for longer than replica.lag.time.max.ms are proposed out', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 2, 10);
    fetched(p, 3, 4);
    clock.advance(LAG);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 0);
    clock.advance(1);
    p.maybeShrinkIsr(LAG);
    assert.deepEqual(alter.last.item.newIsr, [1, 2]);
  });

  test('while a shrink is pending the high watermark still waits for the removed follower; the commit releases it', async () => {
    const { p, clock, alter, hwChanges } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 3, 4);
    fetched(p, 2, 10);
    assert.equal(p.highWatermark, 4);
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    assert.deepEqual(alter.last.item.newIsr, [1, 2]);
    await p.appendAsLeader(produced(10), ACKS_1);
    fetched(p, 2, 20);
    assert.equal(p.highWatermark, 4);
    assert.deepEqual([...p.maximalIsr].sort(), [1, 2, 3]);
    const changesBefore = hwChanges();
    alter.commitLast(1);
    assert.deepEqual(p.isr, [1, 2]);
    assert.equal(p.zkVersion, 1);
    assert.equal(p.highWatermark, 20);
    assert.equal(hwChanges(), changesBefore + 1);
  });

  for (const [what, answer] of [
    ['rejected', { errorCode: 52 }],
    ['undelivered', null],
  ] as const) {
    test(`an ${what} proposal leaves the ISR as it was and blocks proposals for a second`, async () => {
      const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 10);
      fetched(p, 2, 10);
      clock.advance(LAG + 1);
      p.maybeShrinkIsr(LAG);
      const { item, onResult } = alter.last;
      onResult(answer === null ? null : { topic: 't', partition: 0, leader: 1, leaderEpoch: 1, isr: [1, 2, 3], currentIsrVersion: 0, ...answer });
      assert.deepEqual(p.isr, [1, 2, 3]);
      assert.deepEqual(p.maximalIsr, [1, 2, 3]);
      assert.deepEqual(item.newIsr, [1, 2]);
      p.maybeShrinkIsr(LAG);
      clock.advance(999);
      p.maybeShrinkIsr(LAG);
      assert.equal(alter.submitted.length, 1);
      clock.advance(1);
      p.maybeShrinkIsr(LAG);
      assert.equal(alter.submitted.length, 2);
      assert.deepEqual(alter.last.item.newIsr, [1, 2]);
    });
  }

  test('a rejection in our epoch carries the ISR ZooKeeper holds: the leader adopts it and its version (a lost answer cannot strand it)', async () => {
    const { p, alter } = await leader(tmp(), [1, 2], 10);
    fetched(p, 2, 10);
    fetched(p, 3, 10);
    assert.deepEqual(alter.last.item.newIsr, [1, 2, 3]);
    // The controller wrote [1,2,3] at version 1 but that answer was lost; a later answer says so with an error.
    alter.last.onResult({ topic: 't', partition: 0, errorCode: 95, leader: 1, leaderEpoch: 1, isr: [1, 2, 3], currentIsrVersion: 1 });
    assert.deepEqual(p.isr, [1, 2, 3]);
    assert.equal(p.zkVersion, 1);
  });

  test('an answer fenced by a newer leader epoch keeps the proposal pending: the high watermark still counts its replicas', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 10);
    fetched(p, 2, 10);
    fetched(p, 3, 4);
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    assert.deepEqual(alter.last.item.newIsr, [1, 2]);
    alter.last.onResult({ topic: 't', partition: 0, errorCode: 74, leader: 2, leaderEpoch: 2, isr: [2, 3], currentIsrVersion: 4 });
    assert.deepEqual([...p.maximalIsr].sort(), [1, 2, 3]);
    assert.equal(p.highWatermark, 4, 'still waits for follower 3');
    clock.advance(5000);
    p.maybeShrinkIsr(LAG);
    assert.equal(alter.submitted.length, 1, 'no new proposal until LeaderAndIsr');
  });

  test('an answer to a proposal of an earlier leader epoch is ignored', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2, 3], 10);
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 2, isr: [1, 2, 3], zkVersion: 9 }));
    alter.commitLast(1);
    assert.deepEqual(p.isr, [1, 2, 3]);
    assert.equal(p.zkVersion, 9);
  });
});

describe('Partition acks=all outcome', () => {
  const tmp = useTempDir();

  test('null while the high watermark is at or below the last offset, then done', async () => {
    const { p } = await leader(tmp(), [1, 2], 0);
    const r = await p.appendAsLeader(produced(5), { requiredAcks: -1, minInsyncReplicas: 2 });
    assert.equal(r.lastOffset, 4);
    assert.equal(p.ackOutcome(4, 2), null);
    fetched(p, 2, 4);
    assert.equal(p.ackOutcome(4, 2), null);
    fetched(p, 2, 5);
    assert.equal(p.ackOutcome(4, 2), 'done');
  });

  test('NOT_ENOUGH_REPLICAS_AFTER_APPEND when the ISR shrank below min.insync.replicas while waiting', async () => {
    const { p, clock, alter } = await leader(tmp(), [1, 2], 0);
    await p.appendAsLeader(produced(5), { requiredAcks: -1, minInsyncReplicas: 2 });
    clock.advance(LAG + 1);
    p.maybeShrinkIsr(LAG);
    assert.equal(p.ackOutcome(4, 2), null);
    alter.commitLast(1);
    assert.equal(p.highWatermark, 5);
    assert.equal(p.ackOutcome(4, 2), 'NOT_ENOUGH_REPLICAS_AFTER_APPEND');
    assert.equal(p.ackOutcome(4, 1), 'done');
  });

  test('NOT_LEADER_OR_FOLLOWER once leadership is lost or the replica is stopped', async () => {
    const { p } = await leader(tmp(), [1, 2], 0);
    await p.appendAsLeader(produced(5), { requiredAcks: -1, minInsyncReplicas: 2 });
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 2, isr: [1, 2] }));
    assert.equal(p.ackOutcome(4, 2), 'NOT_LEADER_OR_FOLLOWER');
    const other = await leader(`${tmp()}/other`, [1], 5);
    assert.equal(other.p.ackOutcome(4, 1), 'done');
    other.p.markStopped();
    assert.equal(other.p.ackOutcome(4, 1), 'NOT_LEADER_OR_FOLLOWER');
  });

  test('appendAsLeader with acks=all refuses NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas', async () => {
    const { p } = await leader(tmp(), [1], 0);
    await assert.rejects(p.appendAsLeader(produced(3), { requiredAcks: -1, minInsyncReplicas: 2 }), kafkaError('NOT_ENOUGH_REPLICAS'));
    assert.equal(p.logEndOffset, 0);
    const r = await p.appendAsLeader(produced(3), { requiredAcks: 1, minInsyncReplicas: 2 });
    assert.equal(r.lastOffset, 2);
  });
});
