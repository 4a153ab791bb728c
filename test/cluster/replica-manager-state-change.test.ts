import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { LeaderAndIsrPartition, LeaderAndIsrRequest } from '../../src/cluster/controller-requests.js';
import type { Partition } from '../../src/cluster/partition.js';
import { ReplicaManager } from '../../src/cluster/replica-manager.js';
import { errorCode } from '../../src/protocol/error-codes.js';
import { LogManager } from '../../src/storage/log-manager.js';
import type { PartitionLog } from '../../src/storage/partition-log.js';
import type { LogConfig } from '../../src/storage/log-config.js';
import { ManualClock } from '../../src/util/clock.js';
import { removeDir, silentLogger, tempDir, testConfig } from '../storage/test-env.js';
import { FakeAlterIsr, leaderAndIsr } from './replication-fixtures.js';

const state = (partition: number, fields: { leader: number; leaderEpoch: number }): LeaderAndIsrPartition => ({
  ...leaderAndIsr({ ...fields, isr: [1, 2], replicas: [1, 2] }),
  topic: 'many',
  partition,
});
const request = (partitions: LeaderAndIsrPartition[]): LeaderAndIsrRequest => ({ controllerId: 2, controllerEpoch: 1, brokerEpoch: 5, partitions, topicIds: { many: 'id' }, liveLeaders: [] });

describe('ReplicaManager LeaderAndIsr / StopReplica application', () => {
  let root: string;
  let logs: LogManager;
  let rm: ReplicaManager;
  let following: string[];
  /** getOrCreateLog calls in progress right now, and the most seen at once. */
  let creating: number;
  let maxCreating: number;
  let createCalls: number;

  beforeEach(async () => {
    root = await tempDir('sk-rm-state-');
    const clock = new ManualClock();
    logs = new LogManager({ logDirs: [path.join(root, 'd')], clock, logger: silentLogger, defaultConfig: testConfig(), retentionCheckIntervalMs: 3_600_000 });
    await logs.startup({ brokerId: 1, clusterId: 'cluster-A' });
    creating = 0;
    maxCreating = 0;
    createCalls = 0;
    const create = logs.getOrCreateLog.bind(logs);
    logs.getOrCreateLog = async (topic: string, partition: number, config?: Readonly<LogConfig>): Promise<PartitionLog> => {
      creating++;
      createCalls++;
      maxCreating = Math.max(maxCreating, creating);
      // Each creation takes at least a turn of the event loop, so creations run one after another unless overlapped.
      await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        return await create(topic, partition, config);
      } finally {
        creating--;
      }
    };
    rm = new ReplicaManager({ brokerId: 1, logManager: logs, configs: { logConfig: () => testConfig(), minInsyncReplicas: () => 1 }, clock, logger: silentLogger });
    following = [];
    rm.connectReplication({
      alterIsr: new FakeAlterIsr(),
      fetchers: {
        addPartitions: (ps: Partition[]) => following.push(...ps.map((p) => `${p.partition}@${p.leader}`)),
        removePartitions: (ps: Partition[]) => {
          following = following.filter((f) => !ps.some((p) => f.startsWith(`${p.partition}@`)));
        },
      },
    });
  });

  afterEach(async () => {
    await logs.shutdown();
    await removeDir(root);
  });

  test('the partitions of one request are created several at a time, and answered in request order', async () => {
    const partitions = Array.from({ length: 100 }, (_, p) => state(p, { leader: p % 2 === 0 ? 1 : 2, leaderEpoch: 0 }));
    const r = await rm.becomeLeaderOrFollower(request(partitions));
    assert.ok(maxCreating > 1, `log creations overlapped (at most ${maxCreating} at once)`);
    assert.deepEqual(r.partitionErrors.map((e) => e.partition), partitions.map((p) => p.partition));
    assert.ok(r.partitionErrors.every((e) => e.errorCode === 0));
    assert.equal(logs.allLogs().length, 100);
    assert.equal(rm.partition('many', 4)?.isLeader, true);
    assert.equal(following.length, 50, 'every odd partition follows broker 2');
    assert.ok(following.every((f) => f.endsWith('@2')));
  });

  test('requests are applied one at a time, in arrival order', async () => {
    const first = rm.becomeLeaderOrFollower(request([state(0, { leader: 1, leaderEpoch: 0 })]));
    // The second arrives while the first is still creating the log: it must not create a second Partition.
    const second = rm.becomeLeaderOrFollower(request([state(0, { leader: 2, leaderEpoch: 1 })]));
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual([a.partitionErrors[0]?.errorCode, b.partitionErrors[0]?.errorCode], [0, 0]);
    assert.equal(createCalls, 1, 'the second request found the partition the first one created');
    const p = rm.partition('many', 0);
    assert.equal(p?.leader, 2);
    assert.equal(p?.leaderEpoch, 1);
    assert.deepEqual(following, ['0@2']);
    const stopped = await rm.stopReplicas({ controllerId: 2, controllerEpoch: 1, brokerEpoch: 5, partitions: [{ topic: 'many', partition: 0, leaderEpoch: 1, deletePartition: false }] });
    assert.equal(stopped.partitionErrors[0]?.errorCode, 0);
    assert.deepEqual(following, []);
  });

  test('a broker shutting down takes on no new replicas and starts no fetchers, but still applies changes to the ones it hosts', async () => {
    await rm.becomeLeaderOrFollower(request([state(0, { leader: 1, leaderEpoch: 0 })]));
    rm.beginShutdown();
    const r = await rm.becomeLeaderOrFollower(request([state(0, { leader: 2, leaderEpoch: 1 }), state(1, { leader: 1, leaderEpoch: 0 })]));
    assert.deepEqual(r.partitionErrors.map((e) => e.errorCode), [0, errorCode('BROKER_NOT_AVAILABLE')]);
    assert.equal(rm.partition('many', 0)?.isLeader, false, 'leadership moved away is applied');
    assert.equal(rm.partition('many', 1), undefined);
    assert.equal(logs.getLog('many', 1), undefined, 'no log was created');
    assert.deepEqual(following, [], 'nothing to fetch while shutting down');
  });

  test('shutdown waits for the request being applied and refuses later ones', async () => {
    const settled: string[] = [];
    const inFlight = rm.becomeLeaderOrFollower(request(Array.from({ length: 40 }, (_, p) => state(p, { leader: 1, leaderEpoch: 0 })))).finally(() => settled.push('request'));
    const shut = rm.shutdown().finally(() => settled.push('shutdown'));
    await shut;
    assert.deepEqual(settled, ['request', 'shutdown'], 'shutdown resolved only after the request in progress');
    const r = await inFlight;
    const created = logs.allLogs().length;
    assert.ok(created < 40, `the request stopped creating logs once shutdown began (${created} created)`);
    assert.ok(r.partitionErrors.some((e) => e.errorCode === errorCode('BROKER_NOT_AVAILABLE')));
    const later = await rm.becomeLeaderOrFollower(request([state(0, { leader: 2, leaderEpoch: 5 })]));
    assert.deepEqual(later.partitionErrors.map((e) => e.errorCode), [errorCode('BROKER_NOT_AVAILABLE')]);
    assert.equal(logs.allLogs().length, created);
  });

  test('after shutdown a StopReplica deletes nothing (the logs are closing)', async () => {
    await rm.becomeLeaderOrFollower(request([state(0, { leader: 1, leaderEpoch: 0 })]));
    assert.notEqual(logs.getLog('many', 0), undefined);
    await rm.shutdown();
    const stop = await rm.stopReplicas({ controllerId: 2, controllerEpoch: 1, brokerEpoch: 5, partitions: [{ topic: 'many', partition: 0, leaderEpoch: 5, deletePartition: true }] });
    assert.deepEqual(stop.partitionErrors.map((e) => e.errorCode), [errorCode('BROKER_NOT_AVAILABLE')]);
    assert.notEqual(logs.getLog('many', 0), undefined, 'the log is still there for the close');
  });
});
