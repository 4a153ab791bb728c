import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { followOffsetsLeadership } from '../../src/coordinator/group-coordination.js';
import { OffsetsTopic } from '../../src/coordinator/offsets-topic.js';
import type { AdminManager } from '../../src/cluster/admin-manager.js';
import type { MetadataCache } from '../../src/cluster/metadata-cache.js';
import { StreamkeeperError } from '../../src/util/errors.js';
import { silentLogger } from '../storage/test-env.js';
import { FakeCoordinatorLog, flush, startCoordinator } from './group/fixtures.js';

const change = (partition: number, leaderEpoch: number, isLeader: boolean, topic = '__consumer_offsets') => ({ topic, partition, leaderEpoch, isLeader });

describe('followOffsetsLeadership', () => {
  test('elects on every leading change, resigns once on losing leadership, ignores other topics', async () => {
    const calls: string[] = [];
    const listener = followOffsetsLeadership({
      onElection: async (p, e) => void calls.push(`elect ${p}@${e}`),
      onResignation: (p, e) => void calls.push(`resign ${p}@${e}`),
    }, silentLogger);
    listener([change(3, 1, true), change(0, 1, true, 'orders')]);
    listener([change(3, 2, true)]);
    listener([change(3, 3, false)]);
    listener([change(3, 3, false)]); // already resigned
    listener([change(3, 4, true)]);
    assert.deepEqual(calls, ['elect 3@1', 'elect 3@2', 'resign 3@3', 'elect 3@4']);
  });

  test('with a real coordinator: an epoch bump keeps the loaded state (no re-read), and retries a load that failed', async () => {
    const log = new FakeCoordinatorLog();
    log.partitions.set(0, [{ type: 'offset', groupId: 'g', topic: 't', partition: 0, value: { offset: 5, leaderEpoch: -1, metadata: '', commitTimestamp: 1, expireTimestamp: null } }]);
    log.readFailure = new Error('disk on fire');
    const h = await startCoordinator({}, log); // its first load (epoch 0) fails
    const listener = followOffsetsLeadership(h.coordinator, silentLogger);
    const fetch = () => h.coordinator.fetchOffsets({ groupId: 'g', partitions: null, requireStable: false });
    assert.equal((await fetch()).error, 'NOT_COORDINATOR');
    log.readFailure = null;
    listener([change(0, 1, true)]);
    await flush();
    assert.deepEqual((await fetch()).partitions.map((p) => p.offset), [5], 'the next LeaderAndIsr loads it');
    const reads = log.readCalls;
    listener([change(0, 2, true)]);
    await flush();
    assert.equal(log.readCalls, reads, 'an epoch bump does not read the partition again');
    assert.deepEqual((await fetch()).partitions.map((p) => p.offset), [5]);
  });
});

describe('OffsetsTopic', () => {
  const cacheWith = (brokers: number, hasTopic = false) =>
    ({
      topic: () => (hasTopic ? {} : undefined),
      liveBrokers: () => Array.from({ length: brokers }, (_, i) => ({ id: i + 1, endpoints: [], rack: null })),
      partition: () => undefined,
      isAlive: () => true,
    }) as unknown as MetadataCache;

  test('concurrent callers share one creation, with the offsets.topic settings and cleanup.policy=compact', async () => {
    const created: unknown[] = [];
    let release: () => void = () => {};
    const admin = {
      createTopic: async (spec: unknown) => {
        created.push(spec);
        await new Promise<void>((r) => (release = r));
        return { numPartitions: 5, replicationFactor: 3 };
      },
    } as unknown as AdminManager;
    const topic = new OffsetsTopic({ settings: { numPartitions: 5, replicationFactor: 3, segmentBytes: 1000 }, admin, metadataCache: cacheWith(3), logger: silentLogger });
    const all = Promise.all([topic.coordinatorFor(0), topic.coordinatorFor(1), topic.create()]);
    await new Promise((r) => setImmediate(r));
    release();
    const [a, b, c] = await all;
    assert.equal(created.length, 1);
    assert.deepEqual(created[0], {
      name: '__consumer_offsets', numPartitions: 5, replicationFactor: 3, assignments: null,
      configs: { 'cleanup.policy': 'compact', 'segment.bytes': '1000', 'compression.type': 'producer' },
    });
    assert.equal(a.ok, false);
    assert.equal(b.ok, false);
    assert.equal(c, null);
  });

  test('fewer live brokers than the replication factor: not created, COORDINATOR_NOT_AVAILABLE with the reason', async () => {
    let calls = 0;
    const admin = { createTopic: async () => void calls++ } as unknown as AdminManager;
    const topic = new OffsetsTopic({ settings: { numPartitions: 50, replicationFactor: 3, segmentBytes: 1000 }, admin, metadataCache: cacheWith(2), logger: silentLogger });
    const r = await topic.coordinatorFor(7);
    assert.equal(calls, 0);
    assert.ok(!r.ok && r.error === 'COORDINATOR_NOT_AVAILABLE' && /alive brokers '2'.*replication factor '3'/.test(r.message));
  });

  test('a topic created by someone else meanwhile counts as created', async () => {
    const admin = { createTopic: async () => { throw new StreamkeeperError('TOPIC_ALREADY_EXISTS', 'exists'); } } as unknown as AdminManager;
    const topic = new OffsetsTopic({ settings: { numPartitions: 1, replicationFactor: 1, segmentBytes: 1000 }, admin, metadataCache: cacheWith(1), logger: silentLogger });
    assert.equal(await topic.create(), null);
  });
});
