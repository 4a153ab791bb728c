import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { flush, joinParams, startCoordinator, subscription, track } from './fixtures.js';
import type { OffsetCommitParams } from '../../../src/coordinator/group/group-api.js';

function commit(over: Partial<OffsetCommitParams> = {}): OffsetCommitParams {
  return {
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    offsets: [{ topic: 't', partition: 0, offset: 42, leaderEpoch: 3, metadata: 'meta' }],
    ...over,
  };
}

describe('offsets', () => {
  test('a simple commit creates an Empty group; offsets are visible only after the append succeeded', async () => {
    const h = await startCoordinator();
    h.log.holdAppends = true;
    const pending = track(h.coordinator.commitOffsets(commit()));
    await flush();
    assert.equal(pending.done, false);
    const before = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }], requireStable: false });
    assert.deepEqual(before.partitions, [{ topic: 't', partition: 0, offset: -1, leaderEpoch: -1, metadata: '', error: 'NONE' }]);
    const stable = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: [{ topic: 't', partition: 0 }], requireStable: true });
    assert.equal(stable.partitions[0]?.error, 'UNSTABLE_OFFSET_COMMIT');
    h.log.release();
    await flush();
    assert.deepEqual(pending.value, { error: 'NONE', partitions: [{ topic: 't', partition: 0, error: 'NONE' }] });
    const after = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: true });
    assert.deepEqual(after.partitions, [{ topic: 't', partition: 0, offset: 42, leaderEpoch: 3, metadata: 'meta', error: 'NONE' }]);
    const record = h.log.records()[0];
    assert.ok(record?.type === 'offset' && record.value !== null);
    assert.equal(record.value.commitTimestamp, h.clock.now());
    assert.equal(record.value.expireTimestamp, null);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Empty');
  });

  test('a failed append answers the mapped error and leaves nothing visible', async () => {
    const h = await startCoordinator();
    h.log.failNext('NOT_LEADER_OR_FOLLOWER');
    const r = await h.coordinator.commitOffsets(commit());
    assert.equal(r.partitions[0]?.error, 'NOT_COORDINATOR');
    h.log.failNext('MESSAGE_TOO_LARGE');
    assert.equal((await h.coordinator.commitOffsets(commit())).partitions[0]?.error, 'INVALID_COMMIT_OFFSET_SIZE');
    const f = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(f.partitions, []);
  });

  test('metadata limits, null metadata and explicit retention', async () => {
    const h = await startCoordinator({ offsetMetadataMaxBytes: 4 });
    const r = await h.coordinator.commitOffsets(
      commit({
        retentionTimeMs: 1000,
        offsets: [
          { topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: 'toolong' },
          { topic: 't', partition: 1, offset: 2, leaderEpoch: -1, metadata: null },
        ],
      }),
    );
    assert.deepEqual(r.partitions.map((p) => p.error), ['OFFSET_METADATA_TOO_LARGE', 'NONE']);
    assert.equal(h.log.records().length, 1);
    const rec = h.log.records()[0];
    assert.ok(rec?.type === 'offset' && rec.value !== null);
    assert.equal(rec.value.metadata, '');
    assert.equal(rec.value.expireTimestamp, h.clock.now() + 1000);
  });

  test('commit validation against a managed group', async () => {
    const h = await startCoordinator();
    assert.equal((await h.coordinator.commitOffsets(commit({ groupId: 'nogroup', generationId: 1, memberId: 'm' }))).partitions[0]?.error, 'ILLEGAL_GENERATION');
    const join = h.coordinator.joinGroup(joinParams());
    h.clock.advance(3000);
    const m = await join;
    // CompletingRebalance
    assert.equal((await h.coordinator.commitOffsets(commit({ generationId: 1, memberId: m.memberId }))).partitions[0]?.error, 'REBALANCE_IN_PROGRESS');
    await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: m.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    assert.equal((await h.coordinator.commitOffsets(commit())).partitions[0]?.error, 'UNKNOWN_MEMBER_ID', 'non-member commit to a non-empty group');
    assert.equal((await h.coordinator.commitOffsets(commit({ generationId: 0, memberId: m.memberId }))).partitions[0]?.error, 'ILLEGAL_GENERATION');
    assert.equal((await h.coordinator.commitOffsets(commit({ generationId: 1, memberId: 'who' }))).partitions[0]?.error, 'UNKNOWN_MEMBER_ID');
    assert.equal((await h.coordinator.commitOffsets(commit({ generationId: 1, memberId: m.memberId }))).partitions[0]?.error, 'NONE');
    assert.equal((await h.coordinator.commitOffsets(commit({ groupId: '' }))).error, 'NONE', 'the empty group id is allowed for commits');
  });

  test('generation -1 to an Empty group: the simple commit (member "") is accepted, a member id or instance id is not', async () => {
    const h = await startCoordinator();
    assert.equal((await h.coordinator.commitOffsets(commit())).partitions[0]?.error, 'NONE', 'creates the Empty group');
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'Empty');
    assert.equal((await h.coordinator.commitOffsets(commit({ memberId: 'ghost' }))).partitions[0]?.error, 'UNKNOWN_MEMBER_ID');
    assert.equal(
      (await h.coordinator.commitOffsets(commit({ memberId: 'ghost', groupInstanceId: 'i1' }))).partitions[0]?.error,
      'UNKNOWN_MEMBER_ID',
    );
    assert.equal((await h.coordinator.commitOffsets(commit({ groupInstanceId: 'i1' }))).partitions[0]?.error, 'UNKNOWN_MEMBER_ID');
    assert.equal((await h.coordinator.commitOffsets(commit({ offsets: [{ topic: 't', partition: 0, offset: 43, leaderEpoch: -1, metadata: null }] }))).partitions[0]?.error, 'NONE');
    const fetched = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(fetched.partitions.map((p) => p.offset), [43], 'only the simple commits were written');
    assert.equal(h.log.records().length, 2);
  });

  test('OffsetDelete: GROUP_ID_NOT_FOUND, GROUP_SUBSCRIBED_TO_TOPIC for consumer groups, NON_EMPTY_GROUP otherwise', async () => {
    const h = await startCoordinator();
    assert.equal((await h.coordinator.deleteOffsets('nope', [{ topic: 't', partition: 0 }])).error, 'GROUP_ID_NOT_FOUND');
    assert.equal((await h.coordinator.deleteOffsets('', [])).error, 'INVALID_GROUP_ID');
    const join = h.coordinator.joinGroup(joinParams({ protocols: [{ name: 'range', metadata: subscription(['t']) }] }));
    h.clock.advance(3000);
    const m = await join;
    await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: m.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await h.coordinator.commitOffsets(
      commit({ generationId: 1, memberId: m.memberId, offsets: [{ topic: 't', partition: 0, offset: 1, leaderEpoch: -1, metadata: '' }, { topic: 'u', partition: 0, offset: 2, leaderEpoch: -1, metadata: '' }] }),
    );
    const r = await h.coordinator.deleteOffsets('g', [{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }]);
    assert.equal(r.error, 'NONE');
    assert.deepEqual(r.partitions.map((p) => p.error), ['GROUP_SUBSCRIBED_TO_TOPIC', 'NONE']);
    const tomb = h.log.records().at(-1);
    assert.deepEqual(tomb, { type: 'offset', groupId: 'g', topic: 'u', partition: 0, value: null });
    const f = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(f.partitions.map((p) => p.topic), ['t']);

    const other = h.coordinator.joinGroup(joinParams({ groupId: 'c', protocolType: 'connect' }));
    h.clock.advance(3000);
    await other;
    assert.equal((await h.coordinator.deleteOffsets('c', [{ topic: 't', partition: 0 }])).error, 'NON_EMPTY_GROUP');
  });

  test('DeleteGroups: NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, and tombstones for an Empty group', async () => {
    const h = await startCoordinator();
    const join = h.coordinator.joinGroup(joinParams({ groupId: 'busy' }));
    h.clock.advance(3000);
    const m = await join;
    await h.coordinator.commitOffsets(commit({ groupId: 'simple' }));
    // A group that had a generation and is Empty again.
    await h.coordinator.leaveGroup({ groupId: 'busy', members: [{ memberId: m.memberId, groupInstanceId: null, reason: null }] });
    const j2 = h.coordinator.joinGroup(joinParams({ groupId: 'busy2' }));
    h.clock.advance(3000);
    await j2;
    const results = await h.coordinator.deleteGroups(['simple', 'busy', 'busy2', 'ghost']);
    assert.deepEqual(results.map((r) => r.error), ['NONE', 'NONE', 'NON_EMPTY_GROUP', 'GROUP_ID_NOT_FOUND']);
    const tombstones = h.log.records().filter((r) => r.value === null);
    assert.deepEqual(tombstones, [
      { type: 'offset', groupId: 'simple', topic: 't', partition: 0, value: null },
      { type: 'group', groupId: 'busy', value: null },
    ]);
    const d = await h.coordinator.describeGroups(['simple', 'busy']);
    assert.deepEqual(d.map((g) => [g.state, g.error]), [['Dead', 'NONE'], ['Dead', 'NONE']]);
    const fetched = await h.coordinator.fetchOffsets({ groupId: 'simple', partitions: [{ topic: 't', partition: 0 }], requireStable: false });
    assert.equal(fetched.partitions[0]?.offset, -1);
  });

  test('ListGroups filters by state, case-insensitively', async () => {
    const h = await startCoordinator();
    await h.coordinator.commitOffsets(commit({ groupId: 'simple' }));
    const join = h.coordinator.joinGroup(joinParams({ groupId: 'busy' }));
    h.clock.advance(3000);
    await join;
    assert.deepEqual(h.coordinator.listGroups([]).groups.map((g) => g.groupId).sort(), ['busy', 'simple']);
    assert.deepEqual(h.coordinator.listGroups(['completingrebalance']), {
      error: 'NONE',
      groups: [{ groupId: 'busy', protocolType: 'consumer', state: 'CompletingRebalance' }],
    });
  });

  test('the expiry task: standalone offsets by commit time, consumer groups only once Empty for the retention', async () => {
    const retention = 1_000_000;
    const h = await startCoordinator({ offsetsRetentionMs: retention, offsetsRetentionCheckIntervalMs: 100_000 });
    await h.coordinator.commitOffsets(commit({ groupId: 'simple' }));
    await h.coordinator.commitOffsets(commit({ groupId: 'explicit', retentionTimeMs: 150_000 }));
    const join = h.coordinator.joinGroup(joinParams({ groupId: 'cg' }));
    h.clock.advance(3000);
    const m = await join;
    await h.coordinator.syncGroup({ groupId: 'cg', generationId: 1, memberId: m.memberId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    await h.coordinator.commitOffsets(commit({ groupId: 'cg', generationId: 1, memberId: m.memberId }));
    await h.coordinator.leaveGroup({ groupId: 'cg', members: [{ memberId: m.memberId, groupInstanceId: null, reason: null }] });
    const emptySince = h.clock.now();
    h.clock.advance(197_000); // expiry runs at 100 000 and 200 000 (from start): 'explicit' expires at the 200 000 run
    await flush();
    const tombs = (): string[] => h.log.records().filter((r) => r.value === null).map((r) => `${r.type}:${r.groupId}`);
    assert.deepEqual(tombs(), ['offset:explicit']);
    assert.equal((await h.coordinator.describeGroups(['explicit']))[0]?.state, 'Dead');
    h.clock.advance(retention - 200_000);
    await flush();
    assert.deepEqual(tombs(), ['offset:explicit', 'offset:simple']);
    h.clock.advance(emptySince + retention - h.clock.now() + 100_000);
    await flush();
    assert.deepEqual(tombs(), ['offset:explicit', 'offset:simple', 'offset:cg', 'group:cg']);
    assert.deepEqual(h.coordinator.listGroups([]).groups, []);
  });
});
