// Preferred leader election through /admin/preferred_replica_election on three real brokers: the preferred
// replica loses leadership by crashing, comes back, catches up, and the admin znode brings leadership back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { partitionState } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

describe('preferred replica election (3 brokers)', () => {
  // No automatic rebalance, so only the admin znode can move leadership back.
  const fx = useCluster({ brokers: 3, overrides: { 'auto.leader.rebalance.enable': 'false', 'replica.lag.time.max.ms': '10000' } });

  test('/admin/preferred_replica_election returns leadership to the restarted preferred replica and is deleted', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('prefer');
      await fx.admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }] }], waitForLeaders: true });
      const producer = fx.kafka.producer();
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'before' }] });
      } finally {
        await producer.disconnect();
      }
      assert.equal((await partitionState(fx.cluster, topic, 0)).leader, 1);
      await waitFor(async () => (await partitionState(fx.cluster, topic, 0)).isr.length === 3, { timeoutMs: 20_000, what: 'a full ISR' });

      await fx.cluster.kill(1);
      await fx.cluster.waitDeregistered(1);
      const failedOver = await waitFor(async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.leader === 2 ? s : false;
      }, { timeoutMs: 20_000, what: 'broker 2 to take over' });
      await fx.cluster.start(1);
      const rejoined = await waitFor(async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.isr.includes(1) ? s : false;
      }, { timeoutMs: 30_000, what: 'broker 1 to rejoin the ISR' });
      assert.equal(rejoined.leader, 2, 'a restarted broker does not take leadership back by itself');

      await fx.cluster.zkClient.createPersistent('/admin/preferred_replica_election', JSON.stringify({ version: 1, partitions: [{ topic, partition: 0 }] }));
      const after = await waitFor(async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.leader === 1 ? s : false;
      }, { timeoutMs: 15_000, what: 'broker 1 to lead again' });
      assert.ok(after.leader_epoch > failedOver.leader_epoch);
      assert.deepEqual([...after.isr].sort(), [1, 2, 3]);
      const controller = (await fx.cluster.zkClient.getJson('/controller')) as { brokerid: number };
      assert.ok(after.controller_epoch === Number(await fx.cluster.zkClient.getJson('/controller_epoch')), `written by the current controller (${controller.brokerid})`);
      await waitFor(async () => (await fx.cluster.zkClient.exists('/admin/preferred_replica_election')) === undefined, { timeoutMs: 10_000, what: 'the znode to be deleted' });
      const md = await fx.admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal(md.topics[0]?.partitions[0]?.leader, 1, 'metadata follows');
    });
  });
});
