import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { partitionKey } from '../../src/cluster/controller-requests.js';
import type { Partition } from '../../src/cluster/partition.js';
import { ReplicaFetcherManager } from '../../src/replication/replica-fetcher-manager.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger, useTempDir } from '../storage/test-env.js';
import { leaderAndIsr, newPartition, replicatedBatches, settle } from '../cluster/replication-fixtures.js';
import { SETTINGS, ScriptedLeaders, partitionResponse } from './fetch-fixtures.js';
import type { FetchCall } from './fetch-fixtures.js';

/** Broker 2's replica of t-`partition`, following `leader` at `epoch`. */
async function followed(root: string, partition: number, leader: number, epoch = 1): Promise<Partition> {
  const p = await newPartition(root, { brokerId: 2, clock: new ManualClock(), partition });
  p.applyLeaderAndIsr(leaderAndIsr({ leader, leaderEpoch: epoch, isr: [1, 2, 3] }));
  return p;
}

function manager(leaders: ScriptedLeaders): ReplicaFetcherManager {
  return new ReplicaFetcherManager({ send: leaders.send, settings: SETTINGS, brokerEpoch: () => 42, clock: new ManualClock(), logger: silentLogger });
}

/** A manager following t-i from `leaderIds[i]`. */
async function following(root: string, leaderIds: number[]): Promise<{ leaders: ScriptedLeaders; m: ReplicaFetcherManager; ps: Partition[] }> {
  const leaders = new ScriptedLeaders();
  const m = manager(leaders);
  const ps: Partition[] = [];
  for (const [i, leader] of leaderIds.entries()) ps.push(await followed(path.join(root, `p${i}`), i, leader));
  m.addPartitions(ps);
  return { leaders, m, ps };
}

/** A manager following t-0 from leader 1, with its first fetch sent. */
async function followingOne(root: string): Promise<{ leaders: ScriptedLeaders; m: ReplicaFetcherManager; p: Partition; first: FetchCall }> {
  const { leaders, m, ps } = await following(root, [1]);
  const p = ps[0];
  assert.ok(p !== undefined);
  return { leaders, m, p, first: await leaders.call(0) };
}

const fetchedPartitions = (leaders: ScriptedLeaders, n: number): number[] => leaders.calls[n]?.req.partitions.map((x) => x.partition) ?? [];

describe('ReplicaFetcherManager', () => {
  const tmp = useTempDir();

  test('one fetcher per leader broker', async () => {
    const { leaders, m } = await following(tmp(), [1, 3]);
    assert.deepEqual(m.followed(), new Map([[partitionKey('t', 0), 1], [partitionKey('t', 1), 3]]));
    await leaders.call(1);
    const byLeader = new Map(leaders.calls.map((c) => [c.leaderId, c.req.partitions.map((x) => x.partition)]));
    assert.deepEqual(byLeader, new Map([[1, [0]], [3, [1]]]));
    m.close();
  });

  test('a partition whose leader changed moves to the new leader fetcher; the emptied fetcher stops', async () => {
    const { leaders, m, p, first: toOld } = await followingOne(tmp());
    assert.equal(toOld.leaderId, 1);
    p.applyLeaderAndIsr(leaderAndIsr({ leader: 3, leaderEpoch: 2, isr: [2, 3] }));
    m.addPartitions([p]);
    assert.deepEqual(m.followed(), new Map([[partitionKey('t', 0), 3]]));
    const toNew = await leaders.call(1);
    assert.equal(toNew.leaderId, 3);
    assert.deepEqual(toNew.req.partitions.map((x) => x.currentLeaderEpoch), [2]);
    // The old leader's late answer is dropped and its fetcher sends nothing more.
    toOld.respond({ errorCode: 0, partitions: [partitionResponse({ records: replicatedBatches([0, 2, 1]), highWatermark: 2, logEndOffset: 2 })] });
    await settle(20);
    assert.equal(p.logEndOffset, 0);
    assert.deepEqual(leaders.calls.map((c) => c.leaderId), [1, 3]);
    m.close();
  });

  test('a fetcher that still has partitions keeps fetching them after one moves away', async () => {
    const { leaders, m, ps } = await following(tmp(), [1, 1]);
    const p0 = ps[0];
    assert.ok(p0 !== undefined);
    const answerEmpty = (c: FetchCall): void => c.respond({ errorCode: 0, partitions: c.req.partitions.map((x) => partitionResponse({ partition: x.partition })) });
    answerEmpty(await leaders.call(0));
    const both = await leaders.call(1);
    assert.deepEqual(fetchedPartitions(leaders, 1), [0, 1]);
    p0.applyLeaderAndIsr(leaderAndIsr({ leader: 3, leaderEpoch: 2, isr: [2, 3] }));
    m.addPartitions([p0]);
    assert.equal((await leaders.call(2)).leaderId, 3);
    answerEmpty(both);
    const next = await leaders.call(3);
    assert.equal(next.leaderId, 1);
    assert.deepEqual(fetchedPartitions(leaders, 3), [1]);
    m.close();
  });

  test('removePartitions stops fetching them', async () => {
    const { leaders, m, p, first } = await followingOne(tmp());
    m.removePartitions([p]);
    assert.equal(m.followed().size, 0);
    first.respond({ errorCode: 0, partitions: [partitionResponse({})] });
    await settle(20);
    assert.equal(leaders.calls.length, 1);
    m.close();
  });
});
