import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drain, harness, leaderAndIsrTo, state, stopReplicaTo } from './controller-harness.js';

describe('controlled shutdown (controller side)', () => {
  async function cluster() {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [2, 3]], [1, [3, 2]], [2, [2]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [2, 3]));
    h.zk.states.set('t/1', state(3, [3, 2]));
    h.zk.states.set('t/2', state(2, [2]));
    await h.controller.startup();
    await drain(h.controller);
    h.sent.length = 0;
    return h;
  }

  test('leadership moves off, the followed partitions get StopReplica(delete=false) and the broker leaves their ISR', async () => {
    const h = await cluster();
    const resp = await h.controller.controlledShutdown(2, 200);
    await drain(h.controller);
    assert.deepEqual(resp, { errorCode: 0, remaining: [] });
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 1, isr: [3] });
    assert.deepEqual(h.zk.states.get('t/1')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 1, isr: [3] });
    assert.deepEqual(h.zk.states.get('t/2')?.state, { controllerEpoch: 0, leader: 2, leaderEpoch: 0, isr: [2] }, 'RF 1 is left alone');
    // t-0 it led: LeaderAndIsr makes it a follower, then StopReplica (same epoch) stops that fetcher as well.
    assert.deepEqual(stopReplicaTo(h.sent, 2).flatMap((r) => r.partitions), [
      { topic: 't', partition: 0, leaderEpoch: 1, deletePartition: false },
      { topic: 't', partition: 1, leaderEpoch: 0, deletePartition: false },
    ]);
    const order = h.sent.filter((x) => x.to === 2 && x.type !== 'update-metadata').map((x) => x.type);
    assert.deepEqual(order, ['leader-and-isr', 'stop-replica'], 'nothing after StopReplica would restart fetching');
    assert.ok(leaderAndIsrTo(h.sent, 3).some((r) => r.partitions.some((p) => p.partition === 1 && p.isr.length === 1)));
  });

  test('AlterIsr may not add a shutting-down broker back to the ISR: INELIGIBLE_REPLICA', async () => {
    const h = await cluster();
    await h.controller.controlledShutdown(2, 200);
    await drain(h.controller);
    const cur = h.zk.states.get('t/1')!;
    const resp = await h.controller.alterIsr({ brokerId: 3, brokerEpoch: 300, partitions: [{ topic: 't', partition: 1, leaderEpoch: cur.state.leaderEpoch, newIsr: [3, 2], currentIsrVersion: cur.zkVersion }] });
    assert.equal(resp.partitions[0]?.errorCode, 107);
    assert.deepEqual(h.zk.states.get('t/1')?.state.isr, [3]);
  });

  test('a partition that another live replica could lead but that is not in the ISR stays listed; one with no live candidate does not', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('u', { partitions: new Map([[0, [2, 3]], [1, [2, 1]]]), topicId: 'y' });
    h.zk.states.set('u/0', state(2, [2])); // 3 is alive but out of the ISR: a retry may find it caught up
    h.zk.states.set('u/1', state(2, [2, 1]));
    await h.controller.startup();
    await drain(h.controller);
    await h.controller.controlledShutdown(1, 100);
    await drain(h.controller);
    const resp = await h.controller.controlledShutdown(2, 200);
    assert.deepEqual(resp.remaining, [{ topic: 'u', partition: 0 }], 'u-1 has no live replica besides 2 (1 is shutting down): retrying cannot help');
  });

  test('a broker epoch older than the registration is rejected', async () => {
    const h = await cluster();
    assert.equal((await h.controller.controlledShutdown(2, 199)).errorCode, 77, 'older than the registration (Kafka: brokerEpoch < cached epoch)');
    assert.equal(h.zk.states.get('t/0')?.state.leader, 2);
  });
});
