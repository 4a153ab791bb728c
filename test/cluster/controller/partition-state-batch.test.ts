import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PartitionStateWrite } from '../../../src/cluster/controller/controller-zk.js';
import { drain, harness, leaderAndIsrTo, state } from './controller-harness.js';

describe('partition state writes when another controller wrote first', () => {
  test('a stale write whose re-read state carries a newer controller epoch makes the controller resign, sending no LeaderAndIsr', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [2, 3]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [2, 3]));
    await h.controller.startup();
    await drain(h.controller);
    assert.equal(h.controller.epoch, 1);
    // A newer controller (epoch 5) rewrote the state; this controller still holds zkVersion 0.
    h.zk.states.set('t/0', { state: { controllerEpoch: 5, leader: 2, leaderEpoch: 1, isr: [2, 3] }, zkVersion: 1 });
    h.sent.length = 0;
    h.zk.brokerList = h.zk.brokerList.filter((b) => b.id !== 2);
    h.zk.fire('brokers');
    await drain(h.controller);
    assert.equal(h.controller.isActive, false, 'resigned');
    assert.deepEqual(leaderAndIsrTo(h.sent, 3), []);
    assert.deepEqual(h.zk.states.get('t/0'), { state: { controllerEpoch: 5, leader: 2, leaderEpoch: 1, isr: [2, 3] }, zkVersion: 1 }, 'not overwritten');
  });

  test('a new partition whose state create finds the node already there loads that state instead', async () => {
    const h = harness([1, 2, 3]);
    await h.controller.startup();
    await drain(h.controller);
    // Another controller creates the state node between this controller's read (none) and its create.
    const create = h.zk.createPartitionStates.bind(h.zk);
    h.zk.createPartitionStates = async (fence, writes: PartitionStateWrite[]) => {
      h.zk.states.set('t/0', { state: { controllerEpoch: 1, leader: 3, leaderEpoch: 4, isr: [3, 2] }, zkVersion: 2 });
      return create(fence, writes);
    };
    h.zk.assignments.set('t', { partitions: new Map([[0, [2, 3]]]), topicId: 'x' });
    h.sent.length = 0;
    h.zk.fire('topics');
    await drain(h.controller);
    assert.equal(h.controller.isActive, true);
    assert.deepEqual(leaderAndIsrTo(h.sent, 2), [], 'not announced as a new partition');
    assert.equal(h.zk.states.get('t/0')?.zkVersion, 2, 'the existing node is kept');
    // The controller now holds that state: the leader's AlterIsr against it (epoch 4, version 2) is accepted.
    const r = await h.controller.alterIsr({ brokerId: 3, brokerEpoch: 300, partitions: [{ topic: 't', partition: 0, leaderEpoch: 4, newIsr: [3], currentIsrVersion: 2 }] });
    assert.deepEqual(r.partitions.map((p) => [p.errorCode, p.leader, p.leaderEpoch, p.isr, p.currentIsrVersion]), [[0, 3, 4, [3], 3]]);
  });
});
