import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedZooKeeper, uniquePath, watch } from './zk-test-helpers.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { ZkBadVersionError } from '../../src/zk/zk-errors.js';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client.js';
import { BrokerIdInUseError, ControllerMovedError, TopicExistsError } from '../../src/zk/kafka-zk-errors.js';
import { PERSISTENT_PATHS, ZkPaths } from '../../src/zk/paths.js';
import type { BrokerRegistration } from '../../src/zk/codecs/broker-registration.js';
import type { PartitionState } from '../../src/zk/codecs/partition-state.js';
import { newTopicId } from '../../src/zk/codecs/uuid.js';
import { ManualClock } from '../../src/util/clock.js';

const { server, track } = sharedZooKeeper();

/** A KafkaZkClient in a fresh chroot (shared by every client of one test), with the top-level paths created. */
async function kafkaClient(chroot: string): Promise<KafkaZkClient> {
  const client = track(await ZkClient.connect({ connectString: `${server().connectString}${chroot}`, sessionTimeoutMs: 4000 }));
  const kzc = new KafkaZkClient(client, { clock: new ManualClock(1_700_000_000_000) });
  await kzc.createTopLevelPaths();
  return kzc;
}

const registration = (port: number): BrokerRegistration => ({
  endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'localhost', port }],
  rack: null,
  jmxPort: -1,
  timestamp: 1_700_000_000_000,
  features: {},
});
const state = (leader: number, leaderEpoch: number, isr: number[], controllerEpoch: number): PartitionState => ({
  leader, leaderEpoch, isr, controllerEpoch, leaderRecoveryState: 0,
});

describe('KafkaZkClient against a real ZooKeeper', { timeout: 60_000 }, () => {
  test('top-level paths and one cluster id for every broker', async () => {
    const chroot = uniquePath();
    const a = await kafkaClient(chroot);
    const b = await kafkaClient(chroot);
    for (const path of PERSISTENT_PATHS) assert.ok((await a.zk.exists(path)) !== null, path);
    const [idA, idB] = await Promise.all([a.getOrCreateClusterId(), b.getOrCreateClusterId()]);
    assert.match(idA, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(idA, idB);
    assert.deepEqual(JSON.parse((await a.zk.get(ZkPaths.clusterId)).data?.toString() ?? ''), { version: '1', id: idA });
  });

  test('broker registration: epoch = czxid, dataVersion 1, conflicts, re-registration, ephemeral', async () => {
    const chroot = uniquePath();
    const broker = await kafkaClient(chroot);
    const controller = await kafkaClient(chroot);
    const brokersChanged = await watch((w) => controller.getBrokerIds(w));

    const epoch = await broker.registerBroker(1, registration(9092));
    const { stat } = await controller.zk.get(ZkPaths.broker(1));
    assert.equal(epoch, stat.czxid);
    assert.equal(stat.version, 1, 'create-then-setData leaves dataVersion 1, like Kafka');
    assert.equal(stat.ephemeralOwner, broker.zk.sessionId);
    assert.equal((await brokersChanged.event).type, 'NodeChildrenChanged');

    const all = await controller.getAllBrokers();
    assert.deepEqual(all, [{ id: 1, epoch, registration: { ...registration(9092), version: 5 } }]);
    await assert.rejects(controller.registerBroker(1, registration(9093)), BrokerIdInUseError);

    const again = await broker.registerBroker(1, registration(9094));
    assert.ok(again > epoch, 'a re-registration gets a new broker epoch');
    assert.equal((await controller.getBroker(1))?.registration.endpoints[0]?.port, 9094);

    const gone = await watch((w) => controller.getBrokerIds(w));
    broker.zk.close();
    await gone.event;
    assert.deepEqual(await controller.getBrokerIds(), []);
    assert.equal(await controller.getBroker(1), null);
  });

  test('controller election: exactly one winner, epochs increase, losers see the winner', async () => {
    const chroot = uniquePath();
    const brokers = await Promise.all([1, 2, 3].map(() => kafkaClient(chroot)));
    const results = await Promise.all(brokers.map((b, i) => b.registerControllerAndIncrementEpoch(i + 1)));
    const winners = results.flatMap((r, i) => (r === null ? [] : [{ fence: r, index: i }]));
    assert.equal(winners.length, 1);
    const [winner] = winners;
    assert.ok(winner !== undefined);
    assert.deepEqual(winner.fence, { epoch: 1, epochZkVersion: 1 });
    for (const b of brokers) assert.equal(await b.getControllerId(), winner.index + 1);
    assert.deepEqual(await brokers[0]?.getControllerEpoch(), { epoch: 1, zkVersion: 1 });
    assert.deepEqual(JSON.parse((await brokers[0]?.zk.get(ZkPaths.controller))?.data?.toString() ?? ''), {
      version: 1, brokerid: winner.index + 1, timestamp: '1700000000000',
    });
    assert.equal((await brokers[0]?.zk.get(ZkPaths.controllerEpoch))?.data?.toString(), '1');

    const loser = brokers[(winner.index + 1) % 3];
    assert.ok(loser !== undefined);
    const moved = await watch((w) => loser.getControllerId(w));
    brokers[winner.index]?.zk.close();
    assert.equal((await moved.event).type, 'NodeDeleted');
    assert.equal(await loser.getControllerId(), null);
    assert.deepEqual(await loser.registerControllerAndIncrementEpoch(9), { epoch: 2, epochZkVersion: 2 });
    assert.equal(await loser.getControllerId(), 9);
    assert.equal(await loser.deleteControllerIfOwned(), true);
    assert.equal(await loser.getControllerId(), null);
  });

  test('fencing: a controller whose epoch was taken over cannot write', async () => {
    const chroot = uniquePath();
    const old = await kafkaClient(chroot);
    const next = await kafkaClient(chroot);
    const oldFence = await old.registerControllerAndIncrementEpoch(1);
    assert.ok(oldFence !== null);
    await old.createTopic('t', new Map([[0, [1, 2]]]), {}, newTopicId());
    const created = await old.createPartitionStates(oldFence, [{ topic: 't', partition: 0, state: state(1, 0, [1, 2], 1) }]);
    assert.deepEqual(created, [{ topic: 't', partition: 0, zkVersion: 0, error: null }]);

    // The old controller's /controller vanishes (as after an admin delete) and another broker takes over.
    await next.zk.delete(ZkPaths.controller, -1);
    const newFence = await next.registerControllerAndIncrementEpoch(2);
    assert.deepEqual(newFence, { epoch: 2, epochZkVersion: 2 });

    await assert.rejects(old.updatePartitionStates(oldFence, [{ topic: 't', partition: 0, state: state(1, 1, [1], 1), expectedZkVersion: 0 }]), ControllerMovedError);
    await assert.rejects(
      old.createPartitionStates(oldFence, [{ topic: 't', partition: 1, state: state(1, 0, [1], 1) }]),
      (e: unknown) => e instanceof ControllerMovedError && e.kafkaError === 'NOT_CONTROLLER',
    );
    await assert.rejects(old.deleteTopicZnodes(oldFence, 't'), ControllerMovedError);
    assert.equal(await old.deleteControllerIfOwned(oldFence), false, 'the node is not ours any more');
    assert.deepEqual(await next.getPartitionState('t', 0), { state: state(1, 0, [1, 2], 1), zkVersion: 0 });
    assert.equal(await next.zk.exists(ZkPaths.topicPartition('t', 1)), null);

    assert.deepEqual(await next.updatePartitionStates(newFence, [{ topic: 't', partition: 0, state: state(2, 1, [2], 2), expectedZkVersion: 0 }]), [
      { topic: 't', partition: 0, zkVersion: 1, error: null },
    ]);
    const stale = await next.updatePartitionStates(newFence, [{ topic: 't', partition: 0, state: state(2, 2, [2], 2), expectedZkVersion: 0 }]);
    assert.ok(stale[0]?.error instanceof ZkBadVersionError);
  });

  test('topics: create, assignment, partition states, configs, change notifications, deletion', async () => {
    const chroot = uniquePath();
    const kzc = await kafkaClient(chroot);
    const fence = await kzc.registerControllerAndIncrementEpoch(1);
    assert.ok(fence !== null);
    const topicId = newTopicId();
    const topicsChanged = await watch((w) => kzc.getAllTopics(w));
    await kzc.createTopic('orders', new Map([[0, [1, 2]], [1, [2, 1]]]), { 'retention.ms': '1000' }, topicId);
    assert.equal((await topicsChanged.event).type, 'NodeChildrenChanged');
    assert.ok((await kzc.zk.get(ZkPaths.configEntity('topics', 'orders'))).stat.czxid < (await kzc.zk.get(ZkPaths.topic('orders'))).stat.czxid, 'config written first');
    await assert.rejects(kzc.createTopic('orders', new Map([[0, [1]]]), {}, newTopicId()), TopicExistsError);
    assert.deepEqual(await kzc.getAllTopics(), ['orders']);

    const assignment = await kzc.getTopicAssignment('orders');
    assert.ok(assignment !== null);
    assert.equal(assignment.topicId, topicId);
    assert.equal(assignment.version, 3);
    assert.deepEqual([...assignment.partitions], [[0, [1, 2]], [1, [2, 1]]]);
    const grown = await watch((w) => kzc.getTopicAssignment('orders', w));
    const partitions = new Map(assignment.partitions).set(2, [1, 2]);
    const v = await kzc.setTopicAssignment('orders', { ...assignment, partitions }, assignment.zkVersion, fence);
    assert.equal(v, 1);
    assert.equal((await grown.event).type, 'NodeDataChanged');
    await assert.rejects(kzc.setTopicAssignment('orders', assignment, 0), ZkBadVersionError);

    const results = await kzc.createPartitionStates(fence, [0, 1, 2].map((p) => ({ topic: 'orders', partition: p, state: state(1, 0, [1, 2], 1) })));
    assert.deepEqual(results.map((r) => r.error), [null, null, null]);
    const again = await kzc.createPartitionStates(fence, [{ topic: 'orders', partition: 0, state: state(1, 0, [1], 1) }]);
    assert.equal(again[0]?.error?.name, 'ZkNodeExistsError');
    assert.deepEqual(await kzc.updatePartitionStates(fence, [{ topic: 'orders', partition: 1, state: state(2, 1, [2], 1), expectedZkVersion: 0 }]), [
      { topic: 'orders', partition: 1, zkVersion: 1, error: null },
    ]);
    assert.deepEqual(await kzc.getPartitionState('orders', 1), { state: state(2, 1, [2], 1), zkVersion: 1 });
    assert.equal(await kzc.getPartitionState('orders', 7), null);

    assert.deepEqual(await kzc.getEntityConfig('topics', 'orders'), { 'retention.ms': '1000' });
    await kzc.setEntityConfig('topics', 'orders', { 'cleanup.policy': 'compact' });
    assert.deepEqual(await kzc.getEntityConfig('topics', 'orders'), { 'cleanup.policy': 'compact' });
    await kzc.setEntityConfig('users', 'alice/clients/app1', { producer_byte_rate: '1024' });
    assert.deepEqual(await kzc.getEntityConfig('users', 'alice/clients/app1'), { producer_byte_rate: '1024' });
    assert.deepEqual(await kzc.getEntityConfig('brokers', '<default>'), {});
    const changes = await watch((w) => kzc.getConfigChanges(w));
    const n1 = await kzc.createConfigChangeNotification('topics/orders');
    const n2 = await kzc.createConfigChangeNotification('brokers/<default>');
    assert.equal((await changes.event).type, 'NodeChildrenChanged');
    assert.match(n1, /^config_change_\d{10}$/);
    assert.deepEqual(await kzc.getConfigChanges(), [n1, n2]);
    assert.equal((await kzc.getConfigChangeNotification(n2))?.entityPath, 'brokers/<default>');

    assert.equal(await kzc.markTopicForDeletion('orders'), true);
    assert.equal(await kzc.markTopicForDeletion('orders'), false);
    assert.deepEqual(await kzc.getTopicsMarkedForDeletion(), ['orders']);
    await kzc.deleteTopicZnodes(fence, 'orders');
    assert.equal(await kzc.getTopicAssignment('orders'), null);
    assert.equal(await kzc.zk.exists(ZkPaths.configEntity('topics', 'orders')), null);
    assert.deepEqual(await kzc.getTopicsMarkedForDeletion(), []);
  });

  test('broker id sequence and producer id blocks', async () => {
    const kzc = await kafkaClient(uniquePath());
    assert.equal(await kzc.generateBrokerSequenceId(), 1001);
    assert.equal(await kzc.generateBrokerSequenceId(), 1002);
    assert.deepEqual(await kzc.allocateProducerIdBlock(1), { brokerId: 1, blockStart: 0, blockEnd: 999 });
    assert.deepEqual(await kzc.allocateProducerIdBlock(2), { brokerId: 2, blockStart: 1000, blockEnd: 1999 });
  });
});
