import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Partition } from '../../src/cluster/partition.js';
import { ManualClock } from '../../src/util/clock.js';
import { batchHeaders } from '../storage/batch-builder.js';
import { useTempDir } from '../storage/test-env.js';
import { leaderAndIsr, newPartition, produced, replicatedBatches } from './replication-fixtures.js';

const ACKS_1 = { requiredAcks: 1, minInsyncReplicas: 1 } as const;

function kafkaError(name: string): (err: unknown) => boolean {
  return (err) => (err as { kafkaError?: string }).kafkaError === name;
}

/** Broker 1 leads: epoch 1 wrote offsets 0..2, epoch 3 wrote offsets 3..7 (leader epoch now 3). */
async function epochLeader(root: string, isr: number[]): Promise<Partition> {
  const p = await newPartition(root, { brokerId: 1, clock: new ManualClock() });
  p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 1, isr }));
  await p.appendAsLeader(produced(3), ACKS_1);
  p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 3, isr }));
  await p.appendAsLeader(produced(5), ACKS_1);
  return p;
}

const fetchAt = (fetchOffset: number, lastFetchedEpoch: number, currentLeaderEpoch = 3) => ({
  fetchOffset,
  lastFetchedEpoch,
  currentLeaderEpoch,
  maxBytes: 1 << 20,
});

/** Broker 2 following leader 1 at epoch 1. */
async function follower(root: string): Promise<Partition> {
  const p = await newPartition(root, { brokerId: 2, clock: new ManualClock() });
  p.applyLeaderAndIsr(leaderAndIsr({ leader: 1, leaderEpoch: 1, isr: [1, 2, 3] }));
  return p;
}

describe('Partition.fetchForFollower (leader side)', () => {
  const tmp = useTempDir();

  test('the follower view of the leader epoch is checked: older is fenced, newer is unknown, -1 is not checked', async () => {
    const p = await epochLeader(tmp(), [1, 2]);
    await assert.rejects(p.fetchForFollower(2, fetchAt(8, 3, 2)), kafkaError('FENCED_LEADER_EPOCH'));
    await assert.rejects(p.fetchForFollower(2, fetchAt(8, 3, 4)), kafkaError('UNKNOWN_LEADER_EPOCH'));
    const r = await p.fetchForFollower(2, fetchAt(8, 3, -1));
    assert.equal(r.divergingEpoch, null);
  });

  test('a follower whose last fetched epoch ended earlier here, or is unknown here, is told where to truncate', async () => {
    const p = await epochLeader(tmp(), [1, 2]);
    assert.equal(p.highWatermark, 0);
    // Epoch 2 never existed here: the floor is epoch 1, ending where epoch 3 starts.
    let r = await p.fetchForFollower(2, fetchAt(6, 2));
    assert.deepEqual(r.divergingEpoch, { epoch: 1, endOffset: 3 });
    assert.equal(r.records, null);
    // Epoch 1 ends at 3 here; the follower has epoch-1 records up to 5.
    r = await p.fetchForFollower(2, fetchAt(5, 1));
    assert.deepEqual(r.divergingEpoch, { epoch: 1, endOffset: 3 });
    // Beyond our end in the current epoch.
    r = await p.fetchForFollower(2, fetchAt(9, 3));
    assert.deepEqual(r.divergingEpoch, { epoch: 3, endOffset: 8 });
    // An epoch newer than any here.
    r = await p.fetchForFollower(2, fetchAt(9, 4));
    assert.deepEqual(r.divergingEpoch, { epoch: -1, endOffset: -1 });
    // None of these recorded the follower position.
    assert.equal(p.highWatermark, 0);
    // Consistent positions are served.
    r = await p.fetchForFollower(2, fetchAt(3, 1));
    assert.equal(r.divergingEpoch, null);
    assert.deepEqual(batchHeaders(r.records ?? Buffer.alloc(0)).map((h) => [h.baseOffset, h.lastOffset, h.epoch]), [[3, 7, 3]]);
    assert.equal(p.highWatermark, 3);
    r = await p.fetchForFollower(2, fetchAt(8, 3));
    assert.equal(r.divergingEpoch, null);
    assert.equal(r.records, null);
    assert.equal(p.highWatermark, 8);
  });

  test('OFFSET_OUT_OF_RANGE outside log start..log end', async () => {
    const p = await epochLeader(tmp(), [1, 2]);
    await assert.rejects(p.fetchForFollower(2, fetchAt(9, -1)), kafkaError('OFFSET_OUT_OF_RANGE'));
    await p.fetchForFollower(2, fetchAt(8, 3));
    assert.equal(await p.deleteRecordsBefore(3), 3);
    await assert.rejects(p.fetchForFollower(2, fetchAt(2, -1)), kafkaError('OFFSET_OUT_OF_RANGE'));
    const r = await p.fetchForFollower(2, fetchAt(3, -1));
    assert.equal(r.logStartOffset, 3);
    assert.deepEqual(batchHeaders(r.records ?? Buffer.alloc(0)).map((h) => h.baseOffset), [3]);
  });

  test('returns records up to the log end offset, not the high watermark, and records the follower position', async () => {
    const p = await epochLeader(tmp(), [1, 2, 3]);
    let r = await p.fetchForFollower(3, fetchAt(3, 1));
    assert.equal(p.highWatermark, 0);
    r = await p.fetchForFollower(2, fetchAt(0, -1));
    assert.deepEqual(batchHeaders(r.records ?? Buffer.alloc(0)).map((h) => [h.baseOffset, h.lastOffset]), [[0, 2], [3, 7]]);
    assert.equal(r.logEndOffset, 8);
    assert.equal(r.logStartOffset, 0);
    assert.ok(r.highWatermark < 8);
    // Follower 3 is at 3 and follower 2 now reports the end.
    await p.fetchForFollower(2, fetchAt(8, 3));
    assert.equal(p.highWatermark, 3);
    const consumerRead = await p.readAsLeader(0, 1 << 20, true);
    assert.deepEqual(batchHeaders(consumerRead.records ?? Buffer.alloc(0)).map((h) => h.baseOffset), [0]);
  });

  test('a fetch from a broker that is not a replica is served without moving the high watermark', async () => {
    const p = await epochLeader(tmp(), [1, 2]);
    const r = await p.fetchForFollower(7, fetchAt(8, 3));
    assert.equal(r.divergingEpoch, null);
    assert.equal(p.highWatermark, 0);
  });
});

describe('Partition as follower', () => {
  const tmp = useTempDir();

  test('appendAsFollower keeps the leader offsets and epochs; the high watermark is min(leader HW, own LEO)', async () => {
    const p = await follower(tmp());
    await p.appendAsFollower(replicatedBatches([0, 5, 1], [5, 5, 2]), 3);
    assert.equal(p.logEndOffset, 10);
    assert.equal(p.highWatermark, 3);
    assert.equal(p.log.latestEpoch, 2);
    const read = await p.log.read(0, { maxBytes: 1 << 20 });
    assert.deepEqual(batchHeaders(read.records ?? Buffer.alloc(0)).map((h) => [h.baseOffset, h.lastOffset, h.epoch]), [[0, 4, 1], [5, 9, 2]]);
    await p.appendAsFollower(replicatedBatches([10, 2, 2]), 50);
    assert.equal(p.highWatermark, 12);
    assert.equal(p.log.highWatermark, 12);
  });

  test('the follower high watermark does not move back', async () => {
    const p = await follower(tmp());
    await p.appendAsFollower(replicatedBatches([0, 10, 1]), 7);
    p.updateFollowerHighWatermark(2);
    assert.equal(p.highWatermark, 7);
    p.updateFollowerHighWatermark(9);
    assert.equal(p.highWatermark, 9);
  });

  test('truncateTo lowers the high watermark with the log end offset', async () => {
    const p = await follower(tmp());
    await p.appendAsFollower(replicatedBatches([0, 6, 1], [6, 4, 2]), 10);
    assert.equal(p.highWatermark, 10);
    await p.truncateTo(6);
    assert.equal(p.logEndOffset, 6);
    assert.equal(p.highWatermark, 6);
    assert.equal(p.log.highWatermark, 6);
    assert.equal(p.log.latestEpoch, 1);
  });

  test('truncateFullyAndStartAt empties the log and puts the high watermark at the new start', async () => {
    const p = await follower(tmp());
    await p.appendAsFollower(replicatedBatches([0, 4, 1]), 2);
    await p.truncateFullyAndStartAt(40);
    assert.equal(p.logStartOffset, 40);
    assert.equal(p.logEndOffset, 40);
    assert.equal(p.highWatermark, 40);
  });

  test('markStopped: not leading, stopped until a newer LeaderAndIsr', async () => {
    const p = await follower(tmp());
    p.markStopped();
    assert.equal(p.isStopped, true);
    assert.equal(p.leader, -1);
    assert.equal(p.isLeader, false);
    assert.equal(p.ackOutcome(0, 1), 'NOT_LEADER_OR_FOLLOWER');
    assert.equal(p.applyLeaderAndIsr(leaderAndIsr({ leader: 2, leaderEpoch: 2, isr: [2, 3] })), true);
    assert.equal(p.isStopped, false);
    assert.equal(p.isLeader, true);
  });
});
