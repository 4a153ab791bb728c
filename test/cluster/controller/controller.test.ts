import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Controller } from '../../../src/cluster/controller/controller.js';
import type { LeaderAndIsrRequest, StopReplicaRequest, UpdateMetadataRequest } from '../../../src/cluster/controller-requests.js';
import { ManualClock } from '../../../src/util/clock.js';
import { moduleLogger } from '../../../src/util/logger.js';
import { broker, FakeControllerZk } from './fake-controller-zk.js';

function setup(brokerIds: number[]) {
  const zk = new FakeControllerZk();
  zk.brokerList = brokerIds.map((id) => broker(id));
  const sent: { to: number; type: string; payload: unknown }[] = [];
  const channel = {
    async sendToBroker(to: number, type: string, payload: unknown) {
      sent.push({ to, type, payload });
      return { errorCode: 0, partitionErrors: [] };
    },
  };
  const controller = new Controller({
    brokerId: 1,
    zk,
    channel,
    clock: new ManualClock(),
    logger: moduleLogger('controller-test'),
    deleteTopicEnable: true,
    uncleanLeaderElectionEnable: false,
  });
  return { zk, sent, controller };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('controller', () => {
  test('elects itself, then elects leaders for partitions that have no state yet', async () => {
    const { zk, sent, controller } = setup([1, 2, 3]);
    zk.assignments.set('orders', { partitions: new Map([[0, [2, 3]], [1, [3, 1]]]), topicId: null });
    await controller.startup();
    await settle();
    assert.equal(controller.isActive, true);
    assert.equal(controller.epoch, 1);
    assert.deepEqual(zk.states.get('orders/0')?.state, { controllerEpoch: 1, leader: 2, leaderEpoch: 0, isr: [2, 3] });
    assert.deepEqual(zk.states.get('orders/1')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 0, isr: [3, 1] });
    assert.equal(zk.assignments.get('orders')?.topicId, 'AAAAAAAAAAAAAAAAAAAAAQ', 'a missing topic id is added');
    const lai = sent.filter((s) => s.type === 'leader-and-isr' && s.to === 3).map((s) => s.payload as LeaderAndIsrRequest);
    assert.deepEqual(lai.flatMap((r) => r.partitions.map((p) => p.partition)).sort(), [0, 1]);
    const um = sent.filter((s) => s.type === 'update-metadata' && s.to === 2).map((s) => s.payload as UpdateMetadataRequest);
    assert.ok(um.some((r) => r.partitions.some((p) => p.topic === 'orders' && p.leader === 2)));
  });

  test('a failed leader is replaced by the next live ISR member with a higher leader epoch', async () => {
    const { zk, controller } = setup([1, 2, 3]);
    zk.assignments.set('t', { partitions: new Map([[0, [2, 3, 1]]]), topicId: 'x' });
    await controller.startup();
    await settle();
    zk.brokerList = [broker(1), broker(3)];
    zk.fire('brokers');
    await settle();
    await controller.idle();
    assert.deepEqual(zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 1, isr: [3, 1] });
  });

  test('a bounced broker (same id, new epoch) is treated as a failure then a start-up', async () => {
    const { zk, controller } = setup([1, 2]);
    zk.assignments.set('t', { partitions: new Map([[0, [2]]]), topicId: 'x' });
    await controller.startup();
    await settle();
    zk.brokerList = [broker(1), broker(2, 999)];
    zk.fire('brokers');
    await settle();
    await controller.idle();
    // RF 1: the partition goes offline (leader -1) then comes back with broker 2 as leader again.
    const s = zk.states.get('t/0')?.state;
    assert.equal(s?.leader, 2);
    assert.equal(s?.leaderEpoch, 2);
  });

  test('a new topic written to ZooKeeper is picked up through the topics watch', async () => {
    const { zk, controller } = setup([1]);
    await controller.startup();
    await settle();
    zk.assignments.set('fresh', { partitions: new Map([[0, [1]]]), topicId: 'y' });
    zk.fire('topics');
    await settle();
    await controller.idle();
    assert.deepEqual(zk.states.get('fresh/0')?.state, { controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1] });
  });

  test('a new topic whose state read failed is loaded by the next topic change and gets a leader', async () => {
    const { zk, sent, controller } = setup([1, 2]);
    await controller.startup();
    await settle();
    zk.assignments.set('fresh', { partitions: new Map([[0, [2, 1]], [1, [1, 2]]]), topicId: 'y' });
    const read = zk.partitionState.bind(zk);
    let failures = 1;
    zk.partitionState = async (topic, partition) => {
      if (topic === 'fresh' && partition === 1 && failures-- > 0) throw new Error('connection loss');
      return read(topic, partition);
    };
    zk.fire('topics');
    await settle();
    await controller.idle();
    assert.equal(zk.states.get('fresh/0'), undefined, 'the failed load elected nothing');
    sent.length = 0;
    zk.fire('topics');
    await settle();
    await controller.idle();
    assert.deepEqual(zk.states.get('fresh/0')?.state, { controllerEpoch: 1, leader: 2, leaderEpoch: 0, isr: [2, 1] });
    assert.deepEqual(zk.states.get('fresh/1')?.state, { controllerEpoch: 1, leader: 1, leaderEpoch: 0, isr: [1, 2] });
    const lai = sent.filter((s) => s.type === 'leader-and-isr' && s.to === 2).map((s) => s.payload as LeaderAndIsrRequest);
    assert.deepEqual(lai[0]?.topicIds, { fresh: 'y' });
    assert.deepEqual(lai[0]?.partitions.map((p) => [p.partition, p.leader]), [[0, 2], [1, 1]]);
  });

  test('topic deletion stops and deletes the replicas, then removes the znodes', async () => {
    const { zk, sent, controller } = setup([1, 2]);
    zk.assignments.set('gone', { partitions: new Map([[0, [2]]]), topicId: 'z' });
    await controller.startup();
    await settle();
    zk.deletions = ['gone'];
    zk.fire('deletions');
    for (let i = 0; i < 5; i++) {
      await settle();
      await controller.idle();
    }
    const stop = sent.find((s) => s.type === 'stop-replica')?.payload as StopReplicaRequest | undefined;
    assert.deepEqual(stop?.partitions, [{ topic: 'gone', partition: 0, leaderEpoch: -2, deletePartition: true }]);
    assert.equal(zk.assignments.has('gone'), false);
    assert.equal(zk.states.has('gone/0'), false);
  });

  test('a broker that is not elected stays a follower and learns who the controller is', async () => {
    const { zk, controller } = setup([1, 2]);
    zk.controller = 2;
    await controller.startup();
    assert.equal(controller.isActive, false);
    assert.equal(controller.activeControllerId, 2);
  });
});
