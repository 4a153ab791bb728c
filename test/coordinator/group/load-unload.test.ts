import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeCoordinatorLog, capturingLogger, flush, joinParams, startCoordinator, track } from './fixtures.js';
import { encodeCoordinatorRecord } from '../../../src/coordinator/records/coordinator-record-codec.js';
import type { CoordinatorRecord } from '../../../src/coordinator/records/coordinator-record.js';
import type { StoredGroup } from '../../../src/coordinator/records/coordinator-record.js';

const offset = (offset: number) => ({ offset, leaderEpoch: -1, metadata: '', commitTimestamp: 1, expireTimestamp: null });

function storedGroup(members: string[]): StoredGroup {
  return {
    protocolType: 'consumer',
    generationId: 5,
    protocolName: 'range',
    leader: members[0] ?? null,
    currentStateTimestamp: 1,
    members: members.map((memberId) => ({
      memberId,
      groupInstanceId: null,
      clientId: 'c',
      clientHost: 'h',
      rebalanceTimeoutMs: 60_000,
      sessionTimeoutMs: 10_000,
      subscription: Buffer.alloc(0),
      assignment: Buffer.from(`a-${memberId}`),
    })),
  };
}

describe('loading and unloading', () => {
  test('replay: last write wins, tombstones delete; groups rebuilt Stable or Empty with their sessions running', async () => {
    const log = new FakeCoordinatorLog();
    log.partitions.set(0, [
      { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: offset(1) },
      { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: offset(2) },
      { type: 'offset', groupId: 'g', topic: 't', partition: 1, value: offset(3) },
      { type: 'offset', groupId: 'g', topic: 't', partition: 1, value: null },
      { type: 'group', groupId: 'g', value: storedGroup(['m1', 'm2']) },
      { type: 'group', groupId: 'gone', value: storedGroup(['x']) },
      { type: 'group', groupId: 'gone', value: null },
      { type: 'offset', groupId: 'simple', topic: 't', partition: 0, value: offset(9) },
      { type: 'group', groupId: 'empty', value: storedGroup([]) },
    ]);
    const h = await startCoordinator({}, log);
    const [g, gone, simple, empty] = await h.coordinator.describeGroups(['g', 'gone', 'simple', 'empty']);
    assert.equal(g?.state, 'Stable');
    assert.equal(g?.protocolData, 'range');
    assert.deepEqual(g?.members.map((m) => m.memberAssignment.toString()), ['a-m1', 'a-m2']);
    assert.equal(gone?.state, 'Dead');
    assert.equal(simple?.state, 'Empty');
    assert.equal(empty?.state, 'Empty');
    const f = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(f.partitions.map((p) => [p.partition, p.offset]), [[0, 2]]);
    // The loaded members' sessions run: m1 heartbeats, m2 does not and is removed.
    h.clock.advance(6000);
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 5, memberId: 'm1', groupInstanceId: null }), 'NONE');
    h.clock.advance(4000);
    assert.equal((await h.coordinator.describeGroups(['g']))[0]?.state, 'PreparingRebalance');
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 5, memberId: 'm2', groupInstanceId: null }), 'UNKNOWN_MEMBER_ID');
  });

  test('undecodable records are skipped and counted in one log line; unknown key versions are skipped with a warning', async () => {
    const valid: CoordinatorRecord[] = [
      { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: offset(7) },
      { type: 'group', groupId: 'g', value: storedGroup(['m1']) },
      { type: 'offset', groupId: 'simple', topic: 't', partition: 3, value: offset(9) },
    ];
    const [first, second, third] = valid.map(encodeCoordinatorRecord);
    assert.ok(first && second && third);
    const log = new FakeCoordinatorLog();
    log.raw.set(0, [
      first,
      { key: first.key, value: Buffer.from([0, 3, 1, 2]) }, // offset value v3 cut short
      second,
      { key: Buffer.from([0, 1, 0]), value: null }, // known key version, truncated key
      { key: Buffer.from([0, 7, 0, 0]), value: Buffer.from('a KIP-848 record, say') },
      third,
    ]);
    const { logger, entries } = capturingLogger();
    const h = await startCoordinator({}, log, logger);
    await flush();
    const [g, simple] = await h.coordinator.describeGroups(['g', 'simple']);
    assert.equal(g?.state, 'Stable');
    assert.deepEqual(g?.members.map((m) => m.memberId), ['m1']);
    assert.equal(simple?.state, 'Empty');
    const fetched = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(fetched.partitions.map((p) => p.offset), [7]);
    const simpleOffsets = await h.coordinator.fetchOffsets({ groupId: 'simple', partitions: null, requireStable: false });
    assert.deepEqual(simpleOffsets.partitions.map((p) => [p.partition, p.offset]), [[3, 9]]);
    const skipped = entries.filter((e) => e.message.startsWith('skipped undecodable records'));
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]?.['count'], 2);
    const unknown = entries.filter((e) => e.message.startsWith('unknown __consumer_offsets key version'));
    assert.deepEqual(unknown.map((e) => [e.level, e['keyVersion']]), [['warn', 7]]);
  });

  test('a load that fails leaves the partition unowned (NOT_COORDINATOR, no empty groups); the next election loads it', async () => {
    const log = new FakeCoordinatorLog();
    log.partitions.set(0, [{ type: 'offset', groupId: 'g', topic: 't', partition: 0, value: offset(5) }]);
    log.readFailure = new Error('disk on fire');
    const { logger, entries } = capturingLogger();
    const h = await startCoordinator({}, log, logger);
    await flush();
    assert.ok(entries.some((e) => e.level === 'error' && e.message === 'loading offsets partition failed'));
    const fetched = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(fetched, { error: 'NOT_COORDINATOR', partitions: [] });
    assert.equal((await h.coordinator.joinGroup(joinParams())).error, 'NOT_COORDINATOR');
    const commit = await h.coordinator.commitOffsets({
      groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1,
      offsets: [{ topic: 't', partition: 0, offset: 0, leaderEpoch: -1, metadata: null }],
    });
    assert.equal(commit.error, 'NOT_COORDINATOR');
    assert.equal(h.coordinator.listGroups([]).error, 'NONE', 'not stuck loading');
    assert.equal(log.records().length, 1, 'nothing written');
    log.readFailure = null;
    await h.coordinator.onElection(0, 1);
    const reloaded = await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.deepEqual(reloaded.partitions.map((p) => p.offset), [5]);
  });

  test('while loading: COORDINATOR_LOAD_IN_PROGRESS, Heartbeat NONE, SyncGroup REBALANCE_IN_PROGRESS', async () => {
    const h = await startCoordinator({ offsetsTopicPartitions: 1 });
    h.coordinator.onResignation(0, 0);
    h.log.gateReads();
    const loading = h.coordinator.onElection(0, 1);
    assert.equal((await h.coordinator.joinGroup(joinParams())).error, 'COORDINATOR_LOAD_IN_PROGRESS');
    assert.equal(await h.coordinator.heartbeat({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null }), 'NONE');
    assert.equal((await h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).error, 'REBALANCE_IN_PROGRESS');
    assert.equal((await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false })).error, 'COORDINATOR_LOAD_IN_PROGRESS');
    assert.equal(h.coordinator.listGroups([]).error, 'COORDINATOR_LOAD_IN_PROGRESS');
    h.log.openReads();
    await loading;
    assert.equal(h.coordinator.listGroups([]).error, 'NONE');
    assert.equal((await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false })).error, 'NONE');
  });

  test('a resignation during the load discards it', async () => {
    const log = new FakeCoordinatorLog();
    log.partitions.set(0, [{ type: 'offset', groupId: 'g', topic: 't', partition: 0, value: offset(1) }]);
    const h = await startCoordinator({}, log);
    h.coordinator.onResignation(0, 0);
    log.gateReads();
    const loading = h.coordinator.onElection(0, 1);
    h.coordinator.onResignation(0, 1);
    log.openReads();
    await loading;
    assert.equal((await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false })).error, 'NOT_COORDINATOR');
    // A stale election (older epoch) is ignored.
    await h.coordinator.onElection(0, 0);
    assert.equal((await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false })).error, 'NOT_COORDINATOR');
    await h.coordinator.onElection(0, 2);
    assert.equal((await h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false })).partitions[0]?.offset, 1);
  });

  test('resignation answers parked joins NOT_COORDINATOR; later requests get NOT_COORDINATOR', async () => {
    const h = await startCoordinator();
    const join = track(h.coordinator.joinGroup(joinParams()));
    await flush();
    assert.equal(join.done, false);
    h.coordinator.onResignation(0, 0);
    await flush();
    assert.equal(join.value?.error, 'NOT_COORDINATOR');
    h.clock.advance(600_000); // no timer of the unloaded group fires into anything
    assert.equal((await h.coordinator.joinGroup(joinParams())).error, 'NOT_COORDINATOR');
    assert.deepEqual(await h.coordinator.deleteGroups(['g']), [{ groupId: 'g', error: 'NOT_COORDINATOR' }]);
    assert.deepEqual((await h.coordinator.describeGroups(['g']))[0]?.error, 'NOT_COORDINATOR');
  });

  test('only groups of the resigned partition are unloaded; parked syncs get NOT_COORDINATOR on shutdown', async () => {
    const h = await startCoordinator({ offsetsTopicPartitions: 4 });
    const p = h.coordinator.partitionFor('g');
    const otherGroup = ['a', 'b', 'c', 'd', 'e', 'f'].find((id) => h.coordinator.partitionFor(id) !== p) ?? '';
    await h.coordinator.commitOffsets({ groupId: otherGroup, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, offsets: [{ topic: 't', partition: 0, offset: 5, leaderEpoch: -1, metadata: null }] });
    const joins = ['x', 'y'].map((c) => h.coordinator.joinGroup(joinParams({ clientId: c })));
    h.clock.advance(6000);
    const [x] = await Promise.all(joins);
    assert.ok(x);
    const sync = track(h.coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: 'y-uuid2', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] }));
    h.coordinator.onResignation(h.coordinator.partitionFor(otherGroup), 0);
    await flush();
    assert.equal(sync.done, false);
    assert.equal((await h.coordinator.fetchOffsets({ groupId: otherGroup, partitions: null, requireStable: false })).error, 'NOT_COORDINATOR');
    h.coordinator.shutdown();
    await flush();
    assert.equal(sync.value?.error, 'NOT_COORDINATOR');
    assert.equal((await h.coordinator.joinGroup(joinParams())).error, 'COORDINATOR_NOT_AVAILABLE');
    assert.deepEqual(h.coordinator.listGroups([]), { error: 'COORDINATOR_NOT_AVAILABLE', groups: [] });
  });
});
