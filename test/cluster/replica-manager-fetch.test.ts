import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LeaderAndIsrPartition } from '../../src/cluster/controller-requests.js';
import type { ReplicaFetchRequest, ReplicaFetchResponse } from '../../src/cluster/replica-fetch.js';
import { ReplicaManager } from '../../src/cluster/replica-manager.js';
import { LogManager } from '../../src/storage/log-manager.js';
import { ManualClock } from '../../src/util/clock.js';
import { batchHeaders } from '../storage/batch-builder.js';
import { removeDir, silentLogger, tempDir, testConfig } from '../storage/test-env.js';
import { FakeAlterIsr, eventually, leaderAndIsr, produced, settle, withReplicaManager } from './replication-fixtures.js';

const MIN_INSYNC = 2;

function fetchRequest(fetchOffset: number, lastFetchedEpoch: number, maxWaitMs: number, fields: { topic?: string; currentLeaderEpoch?: number } = {}): ReplicaFetchRequest {
  return {
    brokerEpoch: 5,
    maxWaitMs,
    minBytes: 1,
    maxBytes: 1 << 20,
    partitions: [{ topic: fields.topic ?? 't', partition: 0, currentLeaderEpoch: fields.currentLeaderEpoch ?? 1, fetchOffset, lastFetchedEpoch, partitionMaxBytes: 1 << 20 }],
  };
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { done: () => boolean; result: Promise<T> } {
  let settled = false;
  const result = promise.finally(() => {
    settled = true;
  });
  return { done: () => settled, result };
}

const only = (r: ReplicaFetchResponse) => {
  assert.equal(r.errorCode, 0);
  const p = r.partitions[0];
  assert.ok(p !== undefined && r.partitions.length === 1);
  return p;
};

describe('ReplicaManager.fetchForFollower (leader side)', () => {
  let root: string;
  let clock: ManualClock;
  let logs: LogManager;
  let rm: ReplicaManager;

  const apply = (state: LeaderAndIsrPartition) =>
    rm.becomeLeaderOrFollower({ controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, partitions: [state], topicIds: { t: 'topic-id' }, liveLeaders: [] });

  beforeEach(async () => {
    root = await tempDir('sk-replica-manager-');
    clock = new ManualClock();
    logs = new LogManager({ logDirs: [path.join(root, 'd')], clock, logger: silentLogger, defaultConfig: testConfig(), retentionCheckIntervalMs: 3_600_000 });
    await logs.startup({ brokerId: 1, clusterId: 'cluster-A' });
    rm = new ReplicaManager({ brokerId: 1, logManager: logs, configs: { logConfig: () => testConfig(), minInsyncReplicas: () => MIN_INSYNC }, clock, logger: silentLogger });
    rm.connectReplication({ alterIsr: new FakeAlterIsr(), fetchers: { addPartitions: () => {}, removePartitions: () => {} } });
    const r = await apply(leaderAndIsr({ leader: 1, leaderEpoch: 1, isr: [1, 2], replicas: [1, 2] }));
    assert.deepEqual(r.partitionErrors.map((e) => e.errorCode), [0]);
  });

  afterEach(async () => {
    await logs.shutdown();
    await removeDir(root);
  });

  test('returns at once when there is data to send', async () => {
    await rm.appendRecords('t', 0, produced(3), 1, 1000);
    const r = only(await rm.fetchForFollower(2, fetchRequest(0, -1, 500)));
    assert.deepEqual(batchHeaders(Buffer.from(r.records ?? [])).map((h) => [h.baseOffset, h.lastOffset]), [[0, 2]]);
    assert.equal(r.logEndOffset, 3);
    assert.equal(rm.waiters.size(), 0);
  });

  test('with nothing to send it waits up to maxWaitMs and then answers empty', async () => {
    const fetch = track(rm.fetchForFollower(2, fetchRequest(0, -1, 500)));
    await eventually(() => rm.waiters.size() === 1, 'the fetch is parked');
    clock.advance(499);
    await settle();
    assert.equal(fetch.done(), false);
    clock.advance(1);
    const r = only(await fetch.result);
    assert.equal(r.records, null);
    assert.equal(r.divergingEpoch, null);
    assert.equal(r.logEndOffset, 0);
  });

  test('a parked fetch wakes when the leader appends', async () => {
    const fetch = track(rm.fetchForFollower(2, fetchRequest(0, -1, 500)));
    await eventually(() => rm.waiters.size() === 1, 'the fetch is parked');
    await rm.appendRecords('t', 0, produced(2), 1, 1000);
    const r = only(await fetch.result);
    assert.deepEqual(batchHeaders(Buffer.from(r.records ?? [])).map((h) => h.baseOffset), [0]);
  });

  test('a parked fetch wakes with NOT_LEADER_OR_FOLLOWER when leadership moves', async () => {
    const fetch = track(rm.fetchForFollower(2, fetchRequest(0, -1, 500)));
    await eventually(() => rm.waiters.size() === 1, 'the fetch is parked');
    await apply(leaderAndIsr({ leader: 2, leaderEpoch: 2, isr: [1, 2], replicas: [1, 2] }));
    const r = await fetch.result;
    assert.equal(r.partitions[0]?.errorCode, 6);
  });

  test('errors are answered at once, without waiting', async () => {
    let r = await rm.fetchForFollower(2, fetchRequest(0, -1, 500, { currentLeaderEpoch: 0 }));
    assert.equal(r.partitions[0]?.errorCode, 74);
    r = await rm.fetchForFollower(2, fetchRequest(0, -1, 500, { topic: 'unknown' }));
    assert.equal(r.partitions[0]?.errorCode, 3);
    r = await rm.fetchForFollower(2, fetchRequest(5, -1, 500));
    assert.equal(r.partitions[0]?.errorCode, 1);
    assert.equal(r.partitions[0]?.logEndOffset, 0);
  });

  test('the follower position moves the high watermark and completes a waiting acks=all produce', async () => {
    const produce = track(rm.appendRecords('t', 0, produced(2), -1, 30_000));
    await eventually(() => rm.waiters.size() === 1, 'the produce is parked');
    // A fetch from offset 0 does not yet acknowledge offsets 0..1.
    only(await rm.fetchForFollower(2, fetchRequest(0, -1, 0)));
    await settle();
    assert.equal(produce.done(), false);
    only(await rm.fetchForFollower(2, fetchRequest(2, 1, 0)));
    const result = await produce.result;
    assert.equal(result.baseOffset, 0);
    assert.equal(result.lastOffset, 1);
    assert.equal(rm.partition('t', 0)?.highWatermark, 2);
  });

  test('an acks=all produce the followers never confirm fails with REQUEST_TIMED_OUT', async () => {
    const produce = rm.appendRecords('t', 0, produced(2), -1, 1000);
    await eventually(() => rm.waiters.size() === 1, 'the produce is parked');
    clock.advance(1000);
    await assert.rejects(produce, (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'REQUEST_TIMED_OUT');
  });
});

describe('ReplicaManager: a partition this broker does not host', () => {
  test('is NOT_LEADER_OR_FOLLOWER when the cluster has it (e.g. after StopReplica in a controlled shutdown), else UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await withReplicaManager(
      async ({ rm }) => {
        const kafkaError = (name: string) => (err: unknown) => (err as { kafkaError?: string }).kafkaError === name;
        await assert.rejects(rm.appendRecords('known', 0, produced(1), 1, 1000), kafkaError('NOT_LEADER_OR_FOLLOWER'));
        await assert.rejects(rm.appendRecords('unknown', 0, produced(1), 1, 1000), kafkaError('UNKNOWN_TOPIC_OR_PARTITION'));
      },
      { knownInCluster: (topic) => topic === 'known' },
    );
  });
});

describe('ReplicaManager.stopReplicas', () => {
  test('without deletion the replica stays hosted, stopped and leaderless, and its high watermark stays checkpointed', async () => {
    await withReplicaManager(async ({ rm, logs }) => {
      await rm.becomeLeaderOrFollower({ controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, partitions: [leaderAndIsr({ leader: 1, leaderEpoch: 1, isr: [1], replicas: [1, 2] })], topicIds: {}, liveLeaders: [] });
      await rm.appendRecords('t', 0, produced(4), 1, 1000);
      const r = await rm.stopReplicas({ controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, partitions: [{ topic: 't', partition: 0, leaderEpoch: 1, deletePartition: false }] });
      assert.deepEqual(r.partitionErrors.map((e) => e.errorCode), [0]);
      const p = rm.partition('t', 0);
      assert.ok(p !== undefined && p.isStopped && !p.isLeader);
      await rm.checkpointHighWatermarks();
      assert.equal((await logs.readHighWatermarks()).get('t-0'), 4);
      await assert.rejects(rm.appendRecords('t', 0, produced(1), 1, 1000), (err: unknown) => (err as { kafkaError?: string }).kafkaError === 'NOT_LEADER_OR_FOLLOWER');
    });
  });
});

describe('ReplicaManager.onLeadershipChange', () => {
  test('reports leadership gained, a new epoch while leading, leadership lost, and a stopped leader; not plain follower updates', async () => {
    await withReplicaManager(async ({ rm }) => {
      const seen: string[] = [];
      rm.onLeadershipChange((changes) => seen.push(changes.map((c) => `${c.topic}-${c.partition}@${c.leaderEpoch}:${c.isLeader ? 'leader' : 'resigned'}`).join(',')));
      const lai = (leader: number, leaderEpoch: number) =>
        rm.becomeLeaderOrFollower({ controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, partitions: [leaderAndIsr({ leader, leaderEpoch, isr: [1, 2], replicas: [1, 2] })], topicIds: {}, liveLeaders: [] });
      await lai(2, 1); // follower: nothing to report
      await lai(1, 2); // became leader
      await lai(1, 3); // new epoch while leading
      await lai(2, 4); // lost leadership
      await lai(1, 5);
      await rm.stopReplicas({ controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, partitions: [{ topic: 't', partition: 0, leaderEpoch: 5, deletePartition: false }] });
      assert.deepEqual(seen, ['t-0@2:leader', 't-0@3:leader', 't-0@4:resigned', 't-0@5:leader', 't-0@5:resigned']);
    });
  });
});
