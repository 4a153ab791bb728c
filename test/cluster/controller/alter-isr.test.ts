import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drain, harness, state } from './controller-harness.js';

describe('controller AlterIsr', () => {
  async function cluster() {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2, 3]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(1, [1, 2]));
    await h.controller.startup();
    await drain(h.controller);
    return h;
  }
  const propose = (newIsr: number[], currentIsrVersion: number, leaderEpoch = 0) => ({
    brokerId: 1,
    brokerEpoch: 100,
    partitions: [{ topic: 't', partition: 0, leaderEpoch, newIsr, currentIsrVersion }],
  });

  test('a retry whose first answer was lost succeeds with the state already written (Kafka: equalsIgnoreZk)', async () => {
    const h = await cluster();
    const v0 = h.zk.states.get('t/0')!.zkVersion;
    const first = await h.controller.alterIsr(propose([1, 2, 3], v0));
    assert.equal(first.partitions[0]?.errorCode, 0);
    const v1 = first.partitions[0]?.currentIsrVersion;
    // The leader never saw `first` and sends the same proposal again, with the version it still has.
    const retry = await h.controller.alterIsr(propose([1, 2, 3], v0));
    assert.deepEqual(retry.partitions[0], { topic: 't', partition: 0, errorCode: 0, leader: 1, leaderEpoch: 0, isr: [1, 2, 3], currentIsrVersion: v1 });
    assert.equal(h.zk.states.get('t/0')?.zkVersion, v1, 'nothing written twice');
  });

  test('a different ISR with a stale version is INVALID_UPDATE_VERSION, carrying the committed state', async () => {
    const h = await cluster();
    const v0 = h.zk.states.get('t/0')!.zkVersion;
    await h.controller.alterIsr(propose([1, 2, 3], v0));
    const stale = await h.controller.alterIsr(propose([1], v0));
    assert.equal(stale.partitions[0]?.errorCode, 95);
    assert.deepEqual(stale.partitions[0]?.isr, [1, 2, 3]);
  });

  test('a proposal from an older leader epoch is FENCED_LEADER_EPOCH', async () => {
    const h = await cluster();
    const r = await h.controller.alterIsr(propose([1, 2, 3], h.zk.states.get('t/0')!.zkVersion, -1));
    assert.equal(r.partitions[0]?.errorCode, 74);
  });
});

describe('controller requests when ZooKeeper fails mid-event', () => {
  test('AlterIsr and ElectLeaders reject instead of hanging', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2, 3]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [2, 1, 3]));
    await h.controller.startup();
    await drain(h.controller);
    h.zk.updatePartitionStates = async (_fence, updates) => updates.map(() => ({ zkVersion: null, error: new Error('connection loss') }));
    await assert.rejects(h.controller.alterIsr({ brokerId: 2, brokerEpoch: 200, partitions: [{ topic: 't', partition: 0, leaderEpoch: 0, newIsr: [2, 1], currentIsrVersion: h.zk.states.get('t/0')!.zkVersion }] }), /connection loss/);
    await assert.rejects(h.controller.electPreferredLeaders([{ topic: 't', partition: 0 }]), /connection loss/);
  });
});
