import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ZkAdapter } from '../../src/cluster/zk-adapter.js';
import { StaleZkVersionError } from '../../src/cluster/controller/controller-zk.js';
import { newTopicId } from '../../src/zk/codecs/uuid.js';
import { moduleLogger } from '../../src/util/logger.js';
import { encodeBrokerRegistration } from '../../src/zk/codecs/broker-registration.js';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { startZooKeeper } from '../harness/zookeeper.js';
import type { ZooKeeperHandle } from '../harness/zookeeper.js';

let server: ZooKeeperHandle;
let zk: ZkClient;

before(async () => {
  server = await startZooKeeper();
  zk = await ZkClient.connect({ connectString: `${server.connectString}/adapter`, sessionTimeoutMs: 6000, logger: moduleLogger('test') });
  await new KafkaZkClient(zk).createTopLevelPaths();
});

after(async () => {
  zk.close();
  await server.stop();
});

test('a broker caught between create and setData of its registration still triggers a broker change', async () => {
  const adapter = new ZkAdapter(new KafkaZkClient(zk));
  // Step 1 of the two-step registration: the node exists with no data yet.
  await zk.create('/brokers/ids/7', null, 'ephemeral');
  let fired = 0;
  const seen = await adapter.brokers(() => fired++);
  assert.deepEqual(seen.map((b) => b.id), [], 'a registration without data is not a live broker yet');
  // Step 2: the data lands; no child of /brokers/ids changes, so only a data watch can notice.
  const reg = { endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '127.0.0.1', port: 9999 }], rack: null, jmxPort: -1, timestamp: Date.now(), features: {} };
  await zk.set('/brokers/ids/7', encodeBrokerRegistration(reg), 0);
  for (let i = 0; i < 50 && fired === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(fired, 1, 'the watch fires once the registration data is written');
  const again = await adapter.brokers(() => {});
  assert.deepEqual(again.map((b) => [b.id, b.broker.endpoints[0]?.port]), [[7, 9999]]);
});

test('updatePartitionStates reports a ZooKeeper BADVERSION (and a missing node) as StaleZkVersionError, per partition', async () => {
  const kzc = new KafkaZkClient(zk);
  const adapter = new ZkAdapter(kzc);
  const fence = await adapter.tryElect(1);
  assert.ok(fence !== null);
  await kzc.createTopic('v', new Map([[0, [1]], [1, [1]]]), {}, newTopicId());
  const state = { controllerEpoch: fence.epoch, leader: 1, leaderEpoch: 0, isr: [1] };
  const created = await adapter.createPartitionStates(fence, [0, 1].map((partition) => ({ topic: 'v', partition, state })));
  assert.deepEqual(created, [{ zkVersion: 0, error: null }, { zkVersion: 0, error: null }]);
  const next = { ...state, leaderEpoch: 1 };
  const results = await adapter.updatePartitionStates(fence, [
    { topic: 'v', partition: 0, state: next, expectedZkVersion: 0 },
    { topic: 'v', partition: 1, state: next, expectedZkVersion: 5 },
    { topic: 'v', partition: 7, state: next, expectedZkVersion: 0 },
  ]);
  assert.deepEqual(results[0], { zkVersion: 1, error: null });
  assert.ok(results[1]?.error instanceof StaleZkVersionError, `BADVERSION: ${String(results[1]?.error)}`);
  assert.ok(results[2]?.error instanceof StaleZkVersionError, `NONODE: ${String(results[2]?.error)}`);
  assert.equal((await adapter.partitionState('v', 1))?.zkVersion, 0, 'the stale write changed nothing');
  await adapter.resign();
});
