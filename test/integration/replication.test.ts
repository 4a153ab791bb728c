// Replication across three real brokers: RF=3 data is byte-identical on every broker's disk, a kill -9 of the
// leader hands leadership to an ISR member within the session timeout + 1 s, clients carry on, and the restarted
// broker catches up and rejoins the ISR. ZooKeeper's partition state says so at every step.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { controllerEpoch, partitionState, readPartitionValues as readAll, segmentBytes } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';

const SESSION_TIMEOUT_MS = 6000;

describe('replication (3 brokers, RF=3)', () => {
  const fx = useCluster({ brokers: 3, overrides: { 'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS), 'replica.lag.time.max.ms': '5000' } });

  test('every broker holds byte-identical data; the state znode names leader, epoch, full ISR and the controller epoch', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('rf3');
      await fx.admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
        waitForLeaders: true,
      });
      const producer = fx.kafka.producer();
      await producer.connect();
      try {
        for (let i = 0; i < 20; i++) {
          await producer.send({ topic, acks: -1, messages: Array.from({ length: 50 }, (_, j) => ({ key: `k${j}`, value: `v${i * 50 + j}` })) });
        }
      } finally {
        await producer.disconnect();
      }
      await fx.cluster.waitFor(
        () => {
          const [a, b, c] = [1, 2, 3].map((id) => segmentBytes(fx.cluster, id, topic, 0));
          return a !== undefined && a.length > 0 && a.equals(b ?? Buffer.alloc(0)) && a.equals(c ?? Buffer.alloc(0));
        },
        { timeoutMs: 15_000, what: 'identical segments on all brokers' },
      );
      const state = await partitionState(fx.cluster, topic, 0);
      assert.deepEqual([...state.isr].sort(), [1, 2, 3]);
      assert.ok([1, 2, 3].includes(state.leader));
      assert.equal(state.controller_epoch <= (await controllerEpoch(fx.cluster)), true);
      const values = await readAll(fx.cluster.bootstrap, topic, 0);
      assert.equal(values.length, 1000);
      assert.deepEqual(values.slice(0, 3), ['v0', 'v1', 'v2']);
    });
  });

  test('kill -9 of the leader: an ISR member leads within the session timeout + 1 s, clients carry on, the broker rejoins the ISR', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('failover');
      await fx.admin.createTopics({
        topics: [{ topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
        waitForLeaders: true,
      });
      const producer = fx.kafka.producer();
      await producer.connect();
      const acked: string[] = [];
      try {
        for (let i = 0; i < 100; i++) {
          await producer.send({ topic, acks: -1, messages: [{ value: `before-${i}` }] });
          acked.push(`before-${i}`);
        }
        await fx.cluster.waitFor(async () => (await partitionState(fx.cluster, topic, 0)).isr.length === 3, { timeoutMs: 15_000, what: 'full ISR' });
        const before = await partitionState(fx.cluster, topic, 0);
        const killedAt = Date.now();
        await fx.cluster.kill(before.leader);
        const after = await fx.cluster.waitFor(
          async () => {
            const s = await partitionState(fx.cluster, topic, 0);
            return s.leader !== before.leader && s.leader > 0 ? s : null;
          },
          { timeoutMs: SESSION_TIMEOUT_MS + 10_000, what: 'a new leader' },
        );
        const electedMs = Date.now() - killedAt;
        assert.ok(electedMs <= SESSION_TIMEOUT_MS + 1000, `new leader after ${electedMs} ms`);
        assert.ok(before.isr.includes(after.leader), 'the new leader comes from the ISR');
        assert.ok(after.leader_epoch > before.leader_epoch);
        assert.ok(!after.isr.includes(before.leader), 'the dead broker leaves the ISR');
        assert.equal(after.controller_epoch, await controllerEpoch(fx.cluster));

        for (let i = 0; i < 100; i++) {
          await producer.send({ topic, acks: -1, messages: [{ value: `after-${i}` }] });
          acked.push(`after-${i}`);
        }
        await fx.cluster.start(before.leader);
        await fx.cluster.waitFor(async () => (await partitionState(fx.cluster, topic, 0)).isr.includes(before.leader), {
          timeoutMs: 20_000,
          what: 'the restarted broker back in the ISR',
        });
      } finally {
        await producer.disconnect();
      }
      const values = await readAll(fx.cluster.bootstrap, topic, 0);
      const seen = new Set(values);
      assert.deepEqual(acked.filter((v) => !seen.has(v)), [], 'every acknowledged record is read back');
      assert.deepEqual(values.filter((v) => v.startsWith('before-')).slice(0, 100), acked.slice(0, 100), 'in order');
    });
  });
});
