import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flush, joinParams, startCoordinator, track, type Harness } from './fixtures.js';
import type { JoinGroupResult } from '../../../src/coordinator/group/group-api.js';

/** Two static members (instances i1, i2) form a Stable group with assignments. */
const protocol = (name: string) => ({ name, metadata: Buffer.alloc(0) });

async function staticGroup(h: Harness, protocols = [protocol('range')]): Promise<JoinGroupResult[]> {
  const joins = ['i1', 'i2'].map((id) => h.coordinator.joinGroup(joinParams({ groupInstanceId: id, requireKnownMemberId: true, protocols })));
  h.clock.advance(6000);
  const results = await Promise.all(joins);
  const syncs = results.map((r) =>
    h.coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: r.memberId,
      groupInstanceId: r.memberId.split('-')[0] ?? null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: r.members.map((m) => ({ memberId: m.memberId, assignment: Buffer.from(`for ${m.memberId}`) })),
    }),
  );
  await Promise.all(syncs);
  return results;
}

describe('static membership', () => {
  test('static members join at once (no MEMBER_ID_REQUIRED) with instance-based ids', async () => {
    const h = await startCoordinator();
    const [a, b] = await staticGroup(h);
    assert.equal(a?.memberId, 'i1-uuid1');
    assert.equal(b?.memberId, 'i2-uuid2');
    assert.deepEqual(a?.members.map((m) => m.groupInstanceId), ['i1', 'i2']);
  });

  test('a static rejoin in Stable replaces the id, persists the group and keeps the assignment without a rebalance', async () => {
    const h = await startCoordinator();
    const [a, b] = await staticGroup(h);
    assert.ok(a && b);
    const before = h.log.records().length;
    const rejoin = await h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i2' }));
    assert.equal(rejoin.error, 'NONE');
    assert.equal(rejoin.memberId, 'i2-uuid3');
    assert.equal(rejoin.generationId, 1);
    assert.equal(rejoin.leader, a.memberId);
    assert.equal(rejoin.members.length, 0);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Stable');
    const record = h.log.records()[before];
    assert.ok(record?.type === 'group' && record.value !== null);
    assert.deepEqual(record.value.members.map((m) => m.memberId), [a.memberId, 'i2-uuid3']);
    const sync = await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: 'i2-uuid3', groupInstanceId: 'i2', protocolType: null, protocolName: null, assignments: [] });
    assert.equal(sync.assignment.toString(), `for ${b.memberId}`);
    // The old id is fenced.
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'i2' }), 'FENCED_INSTANCE_ID');
    const stale = await h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i2', memberId: b.memberId }));
    assert.equal(stale.error, 'FENCED_INSTANCE_ID');
    const commit = await h.coordinator.commitOffsets({
      groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'i2', retentionTimeMs: -1,
      offsets: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: null }],
    });
    assert.equal(commit.partitions[0]?.error, 'FENCED_INSTANCE_ID');
  });

  test('a rejoining static leader on JoinGroup v9 is told to skip the assignment', async () => {
    const h = await startCoordinator();
    await staticGroup(h);
    const rejoin = await h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i1', supportsSkipAssignment: true }));
    assert.equal(rejoin.skipAssignment, true);
    assert.equal(rejoin.leader, rejoin.memberId);
    assert.equal(rejoin.members.length, 2);
  });

  test('a failed persistence of the replacement reverts to the old member id', async () => {
    const h = await startCoordinator();
    const [, b] = await staticGroup(h);
    assert.ok(b);
    h.log.failNext('NOT_ENOUGH_REPLICAS');
    const rejoin = await h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i2' }));
    assert.equal(rejoin.error, 'COORDINATOR_NOT_AVAILABLE');
    assert.equal(rejoin.memberId, '');
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'i2' }), 'NONE');
  });

  test('a static member with changed protocols that keep the selected protocol rejoins without a rebalance', async () => {
    const h = await startCoordinator();
    await staticGroup(h);
    const rejoin = track(h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i2', protocols: [protocol('roundrobin'), protocol('range')] })));
    await flush();
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Stable', 'range still wins the vote');
    assert.equal(rejoin.value?.error, 'NONE');
  });

  test('a static member whose changed protocols change the selected protocol triggers a rebalance', async () => {
    const h = await startCoordinator();
    await staticGroup(h, [protocol('range'), protocol('roundrobin')]);
    const rejoin = track(h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i2', protocols: [protocol('roundrobin')] })));
    await flush();
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance', 'only roundrobin is common now');
    assert.equal(rejoin.done, false, 'the rejoin waits for the rebalance');
  });

  test('static members survive a rebalance they miss; they leave only by session expiry or LeaveGroup', async () => {
    const h = await startCoordinator();
    const [a, b] = await staticGroup(h);
    assert.ok(a && b);
    const rejoinA = track(h.coordinator.joinGroup(joinParams({ groupInstanceId: 'i1', memberId: a.memberId })));
    // b heartbeats through the whole rebalance timeout but does not rejoin: as a static member it stays.
    for (let t = 0; t < 60_000; t += 5000) {
      h.clock.advance(5000);
      await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: 'i2' });
    }
    await flush();
    assert.equal(rejoinA.value?.generationId, 2);
    assert.equal(rejoinA.value?.members.length, 2);
    const left = await h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: '', groupInstanceId: 'i2', reason: 'admin' }] });
    assert.equal(left.members[0]?.error, 'NONE');
    const described = (await h.coordinator.describeGroups(['g']))[0];
    assert.deepEqual(described?.members.map((m) => m.memberId), [a.memberId]);
  });
});
