import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { capturingLogger, flush, joinParams, startCoordinator, track, type Harness } from './fixtures.js';
import type { JoinGroupResult } from '../../../src/coordinator/group/group-api.js';

/** Three dynamic members join a new group; resolves once the (initially delayed) rebalance completes. */
async function formGroup(h: Harness): Promise<JoinGroupResult[]> {
  const joins = ['a', 'b', 'c'].map((c) => track(h.coordinator.joinGroup(joinParams({ clientId: c }))));
  h.clock.advance(6000);
  await flush();
  assert.ok(joins.every((j) => j.done));
  return Promise.all(joins.map((j) => j.promise));
}

async function syncAll(h: Harness, results: JoinGroupResult[]): Promise<void> {
  const leader = results.find((r) => r.members.length > 0);
  assert.ok(leader);
  const syncs = results.map((r) =>
    h.coordinator.syncGroup({
      groupId: 'g',
      generationId: r.generationId,
      memberId: r.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: r === leader ? results.map((x) => ({ memberId: x.memberId, assignment: Buffer.from(x.memberId) })) : [],
    }),
  );
  for (const [i, s] of (await Promise.all(syncs)).entries()) {
    assert.equal(s.error, 'NONE');
    assert.equal(s.assignment.toString(), results[i]?.memberId);
  }
}

describe('JoinGroup / SyncGroup', () => {
  test('three members join one generation; only the leader gets the members', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    assert.ok(results.every((r) => r.error === 'NONE' && r.generationId === 1 && r.protocolName === 'range'));
    assert.deepEqual(results.map((r) => r.memberId), ['a-uuid1', 'b-uuid2', 'c-uuid3']);
    assert.ok(results.every((r) => r.leader === 'a-uuid1'));
    assert.deepEqual(results[0]?.members.map((m) => m.memberId), ['a-uuid1', 'b-uuid2', 'c-uuid3']);
    assert.equal(results[1]?.members.length, 0);
    assert.equal(results[2]?.members.length, 0);
    const described = (await h.coordinator.describeGroups(['g']))[0];
    assert.equal(described?.state, 'CompletingRebalance');
  });

  test('the initial rebalance delay is extended per new joiner and bounded by the rebalance timeout', async () => {
    const h = await startCoordinator();
    const first = track(h.coordinator.joinGroup(joinParams({ clientId: 'a', rebalanceTimeoutMs: 7000 })));
    h.clock.advance(2999);
    await flush();
    assert.equal(first.done, false);
    const second = track(h.coordinator.joinGroup(joinParams({ clientId: 'b', rebalanceTimeoutMs: 7000 })));
    h.clock.advance(1); // 3000: a new member arrived: delay min(3000, remaining 4000) more, remaining 1000
    h.clock.advance(2000);
    const third = track(h.coordinator.joinGroup(joinParams({ clientId: 'c', rebalanceTimeoutMs: 7000 })));
    h.clock.advance(999); // 5999
    await flush();
    assert.equal(first.done, false);
    h.clock.advance(1); // 6000: another new member: delay only min(3000, remaining 1000)
    await flush();
    assert.equal(first.done, false);
    h.clock.advance(999); // 6999
    await flush();
    assert.equal(first.done, false);
    h.clock.advance(1); // 7000: the rebalance timeout bounds the delay: completes
    await flush();
    assert.ok(first.done && second.done && third.done);
    assert.equal(first.value?.generationId, 1);
  });

  test('a single member completes after exactly the initial delay', async () => {
    const h = await startCoordinator();
    const j = track(h.coordinator.joinGroup(joinParams()));
    h.clock.advance(2999);
    await flush();
    assert.equal(j.done, false);
    h.clock.advance(1);
    await flush();
    assert.equal(j.value?.error, 'NONE');
    assert.equal(j.value?.leader, j.value?.memberId);
  });

  test('SyncGroup parks until the leader syncs, which persists the group first', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    const [r0, r1] = results;
    assert.ok(r0 && r1);
    const follower = track(
      h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: r1.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }),
    );
    await flush();
    assert.equal(follower.done, false);
    h.log.holdAppends = true;
    const leader = track(
      h.coordinator.syncGroup({
        groupId: 'g',
        generationId: 1,
        memberId: r0.memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [{ memberId: r1.memberId, assignment: Buffer.from('x') }],
      }),
    );
    await flush();
    assert.equal(leader.done, false, 'answered only after the append');
    h.log.release();
    await flush();
    assert.equal(follower.value?.error, 'NONE');
    assert.equal(follower.value?.assignment.toString(), 'x');
    assert.equal(leader.value?.assignment.length, 0, 'members the leader left out get an empty assignment');
    const record = h.log.records().at(-1);
    assert.equal(record?.type, 'group');
    assert.ok(record?.type === 'group' && record.value !== null);
    assert.equal(record.value.generationId, 1);
    assert.equal(record.value.leader, r0.memberId);
    assert.equal(record.value.protocolName, 'range');
    assert.deepEqual(record.value.members.map((m) => m.assignment.toString()), ['', 'x', '']);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Stable');
  });

  test('a duplicate JoinGroup from a parked member: both requests get the same answer', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    await syncAll(h, results);
    const [a, b, c] = results;
    assert.ok(a && b && c && a.members.length > 0, 'a leads');
    const rejoin = (r: JoinGroupResult): Promise<JoinGroupResult> => h.coordinator.joinGroup(joinParams({ memberId: r.memberId }));
    const first = track(rejoin(a));
    const second = track(rejoin(a));
    await flush();
    assert.equal(first.done || second.done, false, 'both parked until every member rejoined');
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance');
    const others = [track(rejoin(b)), track(rejoin(c))];
    await flush();
    assert.ok(first.done && second.done && others.every((o) => o.done));
    assert.equal(first.value?.error, 'NONE');
    assert.equal(first.value?.generationId, 2);
    assert.equal(first.value?.members.length, 3);
    assert.deepEqual(second.value, first.value);
  });

  test('a duplicate SyncGroup from a follower during CompletingRebalance: both get the assignment', async () => {
    const h = await startCoordinator();
    const [r0, r1] = await formGroup(h);
    assert.ok(r0 && r1);
    const followerSync = (): Promise<{ error: string; assignment: Buffer }> =>
      h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: r1.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const first = track(followerSync());
    const second = track(followerSync());
    await flush();
    assert.equal(first.done || second.done, false);
    await h.coordinator.syncGroup({
      groupId: 'g', generationId: 1, memberId: r0.memberId, groupInstanceId: null, protocolType: null, protocolName: null,
      assignments: [{ memberId: r1.memberId, assignment: Buffer.from('p0') }],
    });
    await flush();
    assert.deepEqual([first.value?.error, first.value?.assignment.toString()], ['NONE', 'p0']);
    assert.deepEqual([second.value?.error, second.value?.assignment.toString()], ['NONE', 'p0']);
  });

  test('a JoinGroup reason (v8+) is logged at info', async () => {
    const { logger, entries } = capturingLogger();
    const h = await startCoordinator({}, undefined, logger);
    const join = h.coordinator.joinGroup(joinParams({ reason: 'rebalance failed due to X' }));
    h.clock.advance(3000);
    await join;
    await flush();
    const logged = entries.filter((e) => e['reason'] === 'rebalance failed due to X');
    assert.deepEqual(logged.map((e) => [e.level, e['groupId']]), [['info', 'g']]);
  });

  test('a failed group append answers the mapped error and sends the group back to PreparingRebalance', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    h.log.failNext('NOT_LEADER_OR_FOLLOWER');
    const syncs = results.map((r) =>
      h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: r.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }),
    );
    const answers = await Promise.all(syncs);
    assert.deepEqual(answers.map((a) => a.error), ['NOT_COORDINATOR', 'NOT_COORDINATOR', 'NOT_COORDINATOR']);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance');
    const hb = await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: results[0]?.memberId ?? '', groupInstanceId: null });
    assert.equal(hb, 'REBALANCE_IN_PROGRESS');
  });

  test('timeouts of the group append become REBALANCE_IN_PROGRESS', async () => {
    const h = await startCoordinator();
    const [r] = await Promise.all([h.coordinator.joinGroup(joinParams())].map((p) => (h.clock.advance(3000), p)));
    assert.ok(r);
    h.log.failNext('REQUEST_TIMED_OUT');
    const s = await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: r.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    assert.equal(s.error, 'REBALANCE_IN_PROGRESS');
  });

  test('a fourth member joining a Stable group triggers a rebalance the others learn from heartbeats', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    await syncAll(h, results);
    const fourth = track(h.coordinator.joinGroup(joinParams({ clientId: 'd' })));
    await flush();
    assert.equal(fourth.done, false);
    for (const r of results) {
      assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: r.memberId, groupInstanceId: null }), 'REBALANCE_IN_PROGRESS');
    }
    const rejoins = results.map((r) => track(h.coordinator.joinGroup(joinParams({ memberId: r.memberId, clientId: r.memberId[0] ?? '' }))));
    await flush();
    assert.ok(fourth.done && rejoins.every((j) => j.done), 'completes as soon as every known member rejoined');
    assert.equal(fourth.value?.generationId, 2);
    assert.equal(rejoins[0]?.value?.members.length, 4, 'the old leader stays leader');
  });

  test('members that do not rejoin within the rebalance timeout are dropped', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    await syncAll(h, results);
    const [a, b] = results;
    assert.ok(a && b);
    const rejoinA = track(h.coordinator.joinGroup(joinParams({ memberId: a.memberId })));
    // b keeps its session alive by heartbeating, but never rejoins; c's session would expire later than that.
    for (let t = 0; t < 60_000; t += 5000) {
      h.clock.advance(5000);
      await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null });
    }
    await flush();
    assert.equal(rejoinA.value?.generationId, 2);
    assert.deepEqual(rejoinA.value?.members.map((m) => m.memberId), [a.memberId]);
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null }), 'UNKNOWN_MEMBER_ID');
  });

  test('session expiry removes a silent member and rebalances', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    await syncAll(h, results);
    const [a, b, c] = results;
    assert.ok(a && b && c);
    h.clock.advance(6000);
    for (const r of [a, b]) assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: r.memberId, groupInstanceId: null }), 'NONE');
    h.clock.advance(4000); // c silent for its 10 s session
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance');
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: c.memberId, groupInstanceId: null }), 'UNKNOWN_MEMBER_ID');
    const joins = [a, b].map((r) => h.coordinator.joinGroup(joinParams({ memberId: r.memberId })));
    const done = await Promise.all(joins);
    assert.deepEqual(done.map((d) => d.generationId), [2, 2]);
  });

  test('members that never send SyncGroup are removed after the rebalance timeout', async () => {
    const h = await startCoordinator({ groupMaxSessionTimeoutMs: 1_800_000 });
    const joins = ['a', 'b'].map((c) => h.coordinator.joinGroup(joinParams({ clientId: c, sessionTimeoutMs: 120_000, rebalanceTimeoutMs: 30_000 })));
    h.clock.advance(6000);
    const [a, b] = await Promise.all(joins);
    assert.ok(a && b);
    const sync = track(h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: b.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    h.clock.advance(30_000);
    await flush();
    assert.equal(sync.value?.error, 'REBALANCE_IN_PROGRESS');
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null }), 'UNKNOWN_MEMBER_ID');
  });

  test('LeaveGroup removes members with per-member errors and triggers a rebalance', async () => {
    const h = await startCoordinator();
    const results = await formGroup(h);
    await syncAll(h, results);
    const [a, b] = results;
    assert.ok(a && b);
    const left = await h.coordinator.leaveGroup({
      groupId: 'g',
      members: [
        { memberId: b.memberId, groupInstanceId: null, reason: 'bye' },
        { memberId: 'nobody', groupInstanceId: null, reason: null },
      ],
    });
    assert.equal(left.error, 'NONE');
    assert.deepEqual(left.members.map((m) => m.error), ['NONE', 'UNKNOWN_MEMBER_ID']);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance');
    const unknownGroup = await h.coordinator.leaveGroup({ groupId: 'other', members: [{ memberId: 'x', groupInstanceId: null, reason: null }] });
    assert.deepEqual(unknownGroup, { error: 'NONE', members: [{ memberId: 'x', groupInstanceId: null, error: 'UNKNOWN_MEMBER_ID' }] });
  });

  test('a rebalance that ends with no members leaves the group Empty and writes the record', async () => {
    const h = await startCoordinator();
    const [r] = await Promise.all([h.coordinator.joinGroup(joinParams())].map((p) => (h.clock.advance(3000), p)));
    assert.ok(r);
    await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: r.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await h.coordinator.leaveGroup({ groupId: 'g', members: [{ memberId: r.memberId, groupInstanceId: null, reason: null }] });
    await flush();
    const [g] = await h.coordinator.describeGroups(['g']);
    assert.equal(g?.state, 'Empty');
    const last = h.log.records().at(-1);
    assert.ok(last?.type === 'group' && last.value !== null);
    assert.equal(last.value.generationId, 2);
    assert.equal(last.value.protocolName, null);
    assert.deepEqual(last.value.members, []);
  });

  test('MEMBER_ID_REQUIRED: the pending id is accepted on rejoin, holds a rebalance back, and expires', async () => {
    const h = await startCoordinator();
    const first = await h.coordinator.joinGroup(joinParams({ requireKnownMemberId: true }));
    assert.equal(first.error, 'MEMBER_ID_REQUIRED');
    assert.equal(first.memberId, 'client-uuid1');
    assert.equal(first.generationId, -1);
    const joined = h.coordinator.joinGroup(joinParams({ requireKnownMemberId: true, memberId: first.memberId }));
    h.clock.advance(3000);
    const a = await joined;
    assert.equal(a.error, 'NONE');
    assert.equal(a.memberId, first.memberId);
    await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });

    const other = await h.coordinator.joinGroup(joinParams({ requireKnownMemberId: true, clientId: 'x' }));
    assert.equal(other.error, 'MEMBER_ID_REQUIRED');
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Stable', 'a pending member does not rebalance');
    const rejoin = track(h.coordinator.joinGroup(joinParams({ requireKnownMemberId: true, memberId: a.memberId })));
    await flush();
    assert.equal(rejoin.done, false, 'the pending member holds the join back');
    h.clock.advance(10_000); // the pending member's session expires
    await flush();
    assert.equal(rejoin.value?.error, 'NONE');
    assert.equal(rejoin.value?.generationId, 2);
    assert.equal(rejoin.value?.members.length, 1);
    const late = await h.coordinator.joinGroup(joinParams({ requireKnownMemberId: true, memberId: other.memberId }));
    assert.equal(late.error, 'UNKNOWN_MEMBER_ID');
  });

  test('protocol selection by votes, and INCONSISTENT_GROUP_PROTOCOL without a common protocol', async () => {
    const h = await startCoordinator();
    const p = (names: string[]): { name: string; metadata: Buffer }[] => names.map((name) => ({ name, metadata: Buffer.from(name) }));
    const joins = [
      h.coordinator.joinGroup(joinParams({ clientId: 'a', protocols: p(['range', 'roundrobin']) })),
      h.coordinator.joinGroup(joinParams({ clientId: 'b', protocols: p(['roundrobin', 'range']) })),
      h.coordinator.joinGroup(joinParams({ clientId: 'c', protocols: p(['roundrobin', 'sticky', 'range']) })),
    ];
    const bad = await h.coordinator.joinGroup(joinParams({ clientId: 'd', protocols: p(['sticky']) }));
    assert.equal(bad.error, 'INCONSISTENT_GROUP_PROTOCOL');
    const wrongType = await h.coordinator.joinGroup(joinParams({ clientId: 'e', protocolType: 'connect' }));
    assert.equal(wrongType.error, 'INCONSISTENT_GROUP_PROTOCOL');
    h.clock.advance(6000);
    const results = await Promise.all(joins);
    assert.ok(results.every((r) => r.protocolName === 'roundrobin'));
    assert.deepEqual(results[0]?.members.map((m) => m.metadata.toString()), ['roundrobin', 'roundrobin', 'roundrobin']);
  });

  test('request validation: group id, session timeout, unknown member, group.max.size', async () => {
    const h = await startCoordinator({ groupMaxSize: 2 });
    assert.equal((await h.coordinator.joinGroup(joinParams({ groupId: '' }))).error, 'INVALID_GROUP_ID');
    assert.equal((await h.coordinator.joinGroup(joinParams({ sessionTimeoutMs: 5999 }))).error, 'INVALID_SESSION_TIMEOUT');
    assert.equal((await h.coordinator.joinGroup(joinParams({ memberId: 'ghost' }))).error, 'UNKNOWN_MEMBER_ID');
    const joins = ['a', 'b'].map((c) => h.coordinator.joinGroup(joinParams({ clientId: c })));
    const third = await h.coordinator.joinGroup(joinParams({ clientId: 'c' }));
    assert.equal(third.error, 'GROUP_MAX_SIZE_REACHED');
    h.clock.advance(6000);
    assert.deepEqual((await Promise.all(joins)).map((r) => r.error), ['NONE', 'NONE']);
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 7, memberId: 'a-uuid1', groupInstanceId: null }), 'ILLEGAL_GENERATION');
  });

  test('the new-member join timeout drops a member whose rebalance never completes', async () => {
    const h = await startCoordinator();
    const [a] = await Promise.all([h.coordinator.joinGroup(joinParams({ rebalanceTimeoutMs: 600_000 }))].map((p) => (h.clock.advance(3000), p)));
    assert.ok(a);
    await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const b = track(h.coordinator.joinGroup(joinParams({ clientId: 'b' })));
    // a keeps heartbeating but never rejoins; b's JoinGroup stays parked until its 5-minute timeout.
    for (let t = 0; t < 300_000; t += 5000) {
      h.clock.advance(5000);
      await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: a.memberId, groupInstanceId: null });
    }
    await flush();
    assert.equal(b.value?.error, 'UNKNOWN_MEMBER_ID');
    assert.equal(b.value?.memberId, '');
  });
});
