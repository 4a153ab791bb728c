import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drain, harness, leaderAndIsrTo, state, stopReplicaTo } from './controller-harness.js';

/** t-0 on broker 1 alone (leader 1, ISR [1]); brokers 1, 2, 3 alive. */
async function rf1OnBroker1() {
  const h = harness([1, 2, 3]);
  h.zk.assignments.set('t', { partitions: new Map([[0, [1]], [1, [1]]]), topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' });
  h.zk.states.set('t/0', state(1, [1]));
  h.zk.states.set('t/1', state(1, [1]));
  await h.controller.startup();
  await drain(h.controller);
  h.sent.length = 0;
  return h;
}

describe('partition reassignment', () => {
  test('start: RS = TRS + ORS with adding/removing in the topic znode, leader epoch bumped, LeaderAndIsr to all of RS', async () => {
    const { zk, sent, controller } = await rf1OnBroker1();
    const results = await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [2] }]);
    await drain(controller);
    assert.deepEqual(results, [{ topic: 't', partition: 0, error: null, message: null }]);
    const a = zk.assignments.get('t');
    assert.deepEqual(a?.partitions.get(0), [2, 1]);
    assert.deepEqual(a?.partitions.get(1), [1], 'other partitions keep their replicas');
    assert.deepEqual(a?.addingReplicas, new Map([[0, [2]]]));
    assert.deepEqual(a?.removingReplicas, new Map([[0, [1]]]));
    assert.equal(a?.topicId, 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.deepEqual(zk.states.get('t/0'), { state: { controllerEpoch: 1, leader: 1, leaderEpoch: 1, isr: [1] }, zkVersion: 1 });
    for (const to of [1, 2]) {
      const p = leaderAndIsrTo(sent, to).flatMap((r) => r.partitions).find((x) => x.partition === 0);
      assert.deepEqual([p?.replicas, p?.addingReplicas, p?.removingReplicas, p?.leader, p?.leaderEpoch], [[2, 1], [2], [1], 1, 1], `broker ${to}`);
    }
    assert.equal(leaderAndIsrTo(sent, 3).length, 0);
    assert.deepEqual(await controller.listPartitionReassignments(null), [{ topic: 't', partition: 0, replicas: [2, 1], addingReplicas: [2], removingReplicas: [1] }]);
    assert.deepEqual(await controller.listPartitionReassignments([{ topic: 't', partition: 1 }]), []);
  });

  test('completion when AlterIsr puts every target replica in the ISR: leader moves into TRS, ISR ∩ TRS, StopReplica(delete) to the removed', async () => {
    const { zk, sent, controller } = await rf1OnBroker1();
    await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [2] }]);
    await drain(controller);
    sent.length = 0;
    const resp = await controller.alterIsr({ brokerId: 1, brokerEpoch: 100, partitions: [{ topic: 't', partition: 0, leaderEpoch: 1, newIsr: [1, 2], currentIsrVersion: 1 }] });
    assert.equal(resp.partitions[0]?.errorCode, 0);
    await drain(controller);
    assert.deepEqual(zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 2, leaderEpoch: 2, isr: [2] });
    const a = zk.assignments.get('t');
    assert.deepEqual(a?.partitions.get(0), [2]);
    assert.deepEqual([a?.addingReplicas?.size, a?.removingReplicas?.size], [0, 0]);
    assert.deepEqual(stopReplicaTo(sent, 1).flatMap((r) => r.partitions), [{ topic: 't', partition: 0, leaderEpoch: 2, deletePartition: true }]);
    const lai = leaderAndIsrTo(sent, 2).flatMap((r) => r.partitions).at(-1);
    assert.deepEqual([lai?.leader, lai?.replicas, lai?.addingReplicas, lai?.removingReplicas], [2, [2], [], []]);
    assert.equal(leaderAndIsrTo(sent, 1).length, 0, 'the removed replica gets StopReplica, not LeaderAndIsr');
    assert.ok(sent.some((s) => s.type === 'update-metadata' && s.to === 3));
    assert.deepEqual(await controller.listPartitionReassignments(null), []);
  });

  test('a target that keeps the live leader keeps it (epoch still bumped) and the ISR loses removed replicas', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(1, [1, 2]));
    await h.controller.startup();
    await drain(h.controller);
    await h.controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [1] }]);
    await drain(h.controller);
    // TRS [1] is already in the ISR: completes at once.
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 1, leaderEpoch: 2, isr: [1] });
    assert.deepEqual(h.zk.assignments.get('t')?.partitions.get(0), [1]);
    assert.deepEqual(stopReplicaTo(h.sent, 2).flatMap((r) => r.partitions.map((p) => p.deletePartition)), [true]);
  });

  test('cancellation (null replicas) reverts to the original replicas and stops the replicas that were being added', async () => {
    const { zk, sent, controller } = await rf1OnBroker1();
    await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [2, 3] }]);
    await drain(controller);
    assert.deepEqual(zk.assignments.get('t')?.partitions.get(0), [2, 3, 1]);
    sent.length = 0;
    const results = await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: null }]);
    await drain(controller);
    assert.equal(results?.[0]?.error, null);
    const a = zk.assignments.get('t');
    assert.deepEqual([a?.partitions.get(0), a?.addingReplicas?.size, a?.removingReplicas?.size], [[1], 0, 0]);
    for (const to of [2, 3]) assert.deepEqual(stopReplicaTo(sent, to).flatMap((r) => r.partitions.map((p) => p.deletePartition)), [true]);
    assert.equal(zk.states.get('t/0')?.state.leader, 1);
    assert.deepEqual(await controller.listPartitionReassignments(null), []);
  });

  test('validation: unknown partition, no reassignment to cancel, empty, duplicate and dead replicas', async () => {
    const { zk, controller } = await rf1OnBroker1();
    const results = await controller.alterPartitionReassignments([
      { topic: 'nope', partition: 0, replicas: [1] },
      { topic: 't', partition: 0, replicas: null },
      { topic: 't', partition: 0, replicas: [] },
      { topic: 't', partition: 0, replicas: [2, 2] },
      { topic: 't', partition: 0, replicas: [2, 9] },
    ]);
    assert.deepEqual(results?.map((r) => r.error), [
      'UNKNOWN_TOPIC_OR_PARTITION', 'NO_REASSIGNMENT_IN_PROGRESS', 'INVALID_REPLICA_ASSIGNMENT', 'INVALID_REPLICA_ASSIGNMENT', 'INVALID_REPLICA_ASSIGNMENT',
    ]);
    assert.match(results?.[4]?.message ?? '', /not alive/);
    assert.equal(zk.assignmentWrites.length, 0);
  });

  test('a broker that is not the controller answers null (the handler maps it to NOT_CONTROLLER)', async () => {
    const h = harness([1, 2]);
    h.zk.controller = 2;
    await h.controller.startup();
    assert.equal(await h.controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [1] }]), null);
    assert.equal(await h.controller.listPartitionReassignments(null), null);
  });

  test('after failover the new controller resumes from the topic znode: incomplete ones re-send LeaderAndIsr, complete ones finish', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', {
      partitions: new Map([[0, [2, 1]], [1, [3, 1]]]),
      addingReplicas: new Map([[0, [2]], [1, [3]]]),
      removingReplicas: new Map([[0, [1]], [1, [1]]]),
      topicId: 'x',
    });
    h.zk.states.set('t/0', state(1, [1], 4));
    h.zk.states.set('t/1', state(1, [1, 3], 4));
    await h.controller.startup();
    await drain(h.controller);
    const lai = leaderAndIsrTo(h.sent, 2).flatMap((r) => r.partitions).filter((p) => p.partition === 0).at(-1);
    assert.deepEqual([lai?.addingReplicas, lai?.removingReplicas, lai?.leaderEpoch], [[2], [1], 5]);
    assert.deepEqual(h.zk.assignments.get('t')?.partitions.get(1), [3]);
    assert.deepEqual(h.zk.states.get('t/1')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 6, isr: [3] });
    assert.deepEqual(h.zk.assignments.get('t')?.addingReplicas, new Map([[0, [2]]]));
    assert.deepEqual((await h.controller.listPartitionReassignments(null))?.map((r) => r.partition), [0]);
  });

  test('a reassignment whose only target replica is down waits, and finishes when that broker returns', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [2, 1]]]), addingReplicas: new Map([[0, [2]]]), removingReplicas: new Map([[0, [1]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(1, [1, 2], 3));
    const b2 = h.zk.brokerList.find((b) => b.id === 2)!;
    h.zk.brokerList = h.zk.brokerList.filter((b) => b.id !== 2);
    await h.controller.startup();
    await drain(h.controller);
    assert.deepEqual(h.zk.assignments.get('t')?.partitions.get(0), [2, 1], 'no live target replica to lead yet');
    h.zk.brokerList = [...h.zk.brokerList, b2];
    h.zk.fire('brokers');
    await drain(h.controller);
    assert.deepEqual(h.zk.assignments.get('t')?.partitions.get(0), [2]);
    assert.equal(h.zk.states.get('t/0')?.state.leader, 2);
  });

  test('/admin/reassign_partitions: started when it appears, invalid entries dropped, the znode deleted when all are done', async () => {
    const { zk, controller } = await rf1OnBroker1();
    zk.reassignNode = [
      { topic: 't', partition: 0, replicas: [2] },
      { topic: 't', partition: 1, replicas: [7] },
    ];
    zk.fire('reassign');
    await drain(controller);
    assert.deepEqual(zk.reassignNode, [{ topic: 't', partition: 0, replicas: [2] }], 'the invalid entry is removed');
    assert.deepEqual(zk.assignments.get('t')?.addingReplicas, new Map([[0, [2]]]));
    await controller.alterIsr({ brokerId: 1, brokerEpoch: 100, partitions: [{ topic: 't', partition: 0, leaderEpoch: 1, newIsr: [1, 2], currentIsrVersion: 1 }] });
    await drain(controller);
    assert.equal(zk.reassignNode, null);
    assert.deepEqual(zk.assignments.get('t')?.partitions.get(0), [2]);
  });

  test('an API reassignment replaces the znode entry for the same partition', async () => {
    const { zk, controller } = await rf1OnBroker1();
    zk.reassignNode = [{ topic: 't', partition: 0, replicas: [2] }, { topic: 't', partition: 1, replicas: [2] }];
    zk.fire('reassign');
    await drain(controller);
    await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3] }]);
    await drain(controller);
    assert.deepEqual(zk.reassignNode, [{ topic: 't', partition: 1, replicas: [2] }]);
    assert.deepEqual(zk.assignments.get('t')?.partitions.get(0), [3, 1]);
  });

  test('topic deletion waits while a partition of the topic is being reassigned, and resumes after', async () => {
    const { zk, sent, controller } = await rf1OnBroker1();
    await controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [2] }]);
    await drain(controller);
    sent.length = 0;
    zk.deletions = ['t'];
    zk.fire('deletions');
    await drain(controller);
    assert.equal(sent.filter((s) => s.type === 'stop-replica').length, 0);
    assert.ok(zk.assignments.has('t'));
    // Once the reassignment completes, the deletion goes ahead.
    await controller.alterIsr({ brokerId: 1, brokerEpoch: 100, partitions: [{ topic: 't', partition: 0, leaderEpoch: 1, newIsr: [1, 2], currentIsrVersion: 1 }] });
    await drain(controller);
    assert.equal(zk.assignments.has('t'), false);
  });
});
