import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { OFFSETS_TOPIC } from '../../src/cluster/topic-names.js';
import { ReplicaCoordinatorLog } from '../../src/coordinator/replica-coordinator-log.js';
import type { CoordinatorRecord, RawCoordinatorRecord } from '../../src/coordinator/records/coordinator-record.js';
import { decodeCoordinatorRecord } from '../../src/coordinator/records/coordinator-record-codec.js';
import { silentLogger } from '../storage/test-env.js';
import { withReplicaManager } from '../cluster/replication-fixtures.js';

const offset = (groupId: string, partition: number, value: number | null): CoordinatorRecord => ({
  type: 'offset',
  groupId,
  topic: 'orders',
  partition,
  value: value === null ? null : { offset: value, leaderEpoch: 3, metadata: 'm', commitTimestamp: 1000, expireTimestamp: null },
});

const leaderAndIsr = (partition: number, leader: number, leaderEpoch: number) => ({
  controllerId: 0, controllerEpoch: 1, brokerEpoch: 5, topicIds: {}, liveLeaders: [],
  partitions: [{ topic: OFFSETS_TOPIC, partition, controllerEpoch: 1, leader, leaderEpoch, isr: leader === 1 ? [1] : [2, 1], zkVersion: 0, replicas: [1, 2], addingReplicas: [], removingReplicas: [], isNew: false }],
});

describe('ReplicaCoordinatorLog', () => {
  test('appends records as the partition leader and reads every one back in order, tombstones included', async () => {
    await withReplicaManager(async ({ rm }) => {
      await rm.becomeLeaderOrFollower(leaderAndIsr(4, 1, 1));
      // A small load buffer makes readAll page through several reads.
      const log = new ReplicaCoordinatorLog({ replicaManager: rm, commitTimeoutMs: 1000, loadBufferBytes: 64, now: () => 5000, logger: silentLogger });
      const written: CoordinatorRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const batch = [offset('g', i, i * 10), offset('g', i, i * 10 + 1)];
        assert.equal(await log.append(4, batch), 'NONE');
        written.push(...batch);
      }
      assert.equal(await log.append(4, [offset('g', 0, null)]), 'NONE');
      written.push(offset('g', 0, null));
      const read: (CoordinatorRecord | null)[] = [];
      for await (const r of log.readAll(4)) read.push(decodeCoordinatorRecord(r.key, r.value));
      assert.deepEqual(read, written);
    }, { minInsyncReplicas: 1 });
  });

  test('an append where this broker does not lead answers NOT_LEADER_OR_FOLLOWER instead of throwing', async () => {
    await withReplicaManager(async ({ rm }) => {
      await rm.becomeLeaderOrFollower(leaderAndIsr(0, 2, 1));
      const log = new ReplicaCoordinatorLog({ replicaManager: rm, commitTimeoutMs: 1000, loadBufferBytes: 1024, now: () => 0, logger: silentLogger });
      assert.equal(await log.append(0, [offset('g', 0, 1)]), 'NOT_LEADER_OR_FOLLOWER');
      const read: RawCoordinatorRecord[] = [];
      for await (const r of log.readAll(9)) read.push(r);
      assert.deepEqual(read, [], 'a partition not hosted here reads as empty');
    }, { knownInCluster: () => true });
  });
});
