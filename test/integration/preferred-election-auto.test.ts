// Automatic leader rebalance on three real brokers: with auto.leader.rebalance.enable and a short
// leader.imbalance.check.interval.seconds, leadership returns to the preferred replica by itself once it is
// back in the ISR.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { partitionState } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

describe('automatic leader rebalance (3 brokers)', () => {
  const fx = useCluster({
    brokers: 3,
    overrides: { 'auto.leader.rebalance.enable': 'true', 'leader.imbalance.check.interval.seconds': '2', 'replica.lag.time.max.ms': '10000' },
  });

  test('a restarted preferred replica leads again after it rejoins the ISR, without any admin action', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('rebalance');
      await fx.admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [3, 1, 2] }] }], waitForLeaders: true });
      await waitFor(async () => (await partitionState(fx.cluster, topic, 0)).isr.length === 3, { timeoutMs: 20_000, what: 'a full ISR' });
      await fx.cluster.kill(3);
      await fx.cluster.waitDeregistered(3);
      const failedOver = await waitFor(async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.leader !== 3 && s.leader > 0 ? s : false;
      }, { timeoutMs: 20_000, what: 'a new leader' });
      await fx.cluster.start(3);
      const back = await waitFor(async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.leader === 3 ? s : false;
      }, { timeoutMs: 40_000, what: 'broker 3 to lead again by itself' });
      assert.ok(back.leader_epoch > failedOver.leader_epoch);
      assert.ok(back.isr.includes(3));
      assert.equal(await fx.cluster.zkClient.exists('/admin/preferred_replica_election'), undefined, 'no admin znode was involved');
    });
  });
});
