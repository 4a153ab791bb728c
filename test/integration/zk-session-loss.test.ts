// A broker whose ZooKeeper session expires (frozen with SIGSTOP beyond zookeeper.session.timeout.ms) must come back
// by itself: a new session, a new /brokers/ids registration (new czxid = new broker epoch), the controller role
// taken again, and clients served as before.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { assertHealthy } from '../harness/clients.js';
import { useCluster } from '../harness/fixture.js';
import { randomTopic } from '../harness/paths.js';

const SESSION_MS = 3000;

describe('ZooKeeper session loss (1 broker)', () => {
  const fx = useCluster({ brokers: 1, zkTickMs: 500, overrides: { 'zookeeper.session.timeout.ms': String(SESSION_MS) } });

  test('the broker re-registers with a new epoch, is controller again and keeps its data', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('session');
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await assertHealthy(fx.cluster.bootstrap, topic);
      const before = fx.cluster.broker(1);
      const epochBefore = before.brokerEpoch;
      const controllerEpochBefore = Number((await fx.cluster.zkClient.get('/controller_epoch'))?.data.toString());

      process.kill(before.pid, 'SIGSTOP');
      try {
        await fx.cluster.waitDeregistered(1, SESSION_MS * 4);
      } finally {
        process.kill(before.pid, 'SIGCONT');
      }
      await fx.cluster.waitRegistered(1, epochBefore);
      assert.notEqual(fx.cluster.broker(1).brokerEpoch, epochBefore, 'a new registration means a new broker epoch');

      // Registration comes first, then the election: wait (bounded) for the new controller epoch.
      let controllerEpoch = controllerEpochBefore;
      for (let i = 0; i < 100 && controllerEpoch <= controllerEpochBefore; i++) {
        await new Promise((r) => setTimeout(r, 100));
        controllerEpoch = Number((await fx.cluster.zkClient.get('/controller_epoch'))?.data.toString());
      }
      assert.ok(controllerEpoch > controllerEpochBefore, `controller epoch ${controllerEpoch} > ${controllerEpochBefore}`);
      const controller = (await fx.cluster.zkClient.getJson('/controller')) as { brokerid: number };
      assert.equal(controller.brokerid, 1);
      assert.match(fx.cluster.logs(1), /session expired/i, 'the broker logs the session loss');

      await assertHealthy(fx.cluster.bootstrap, topic);
      const offsets = await fx.admin.fetchTopicOffsets(topic);
      assert.equal(offsets[0]?.high, '2', 'both health records are there');
    });
  });
});
