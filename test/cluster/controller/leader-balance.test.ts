import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drain, harness, state } from './controller-harness.js';

describe('preferred leader election', () => {
  test('/admin/preferred_replica_election with an empty list elects for every partition, then is deleted', async () => {
    const h = harness([1, 2, 3]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2]], [1, [3, 2]], [2, [1, 3]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [1, 2], 3));
    h.zk.states.set('t/1', state(2, [2, 3], 3));
    h.zk.states.set('t/2', state(3, [3], 3)); // preferred 1 is not in the ISR: stays
    await h.controller.startup();
    await drain(h.controller);
    h.zk.preferredNode = [];
    h.zk.fire('preferred');
    await drain(h.controller);
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 1, leaderEpoch: 4, isr: [1, 2] });
    assert.deepEqual(h.zk.states.get('t/1')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 4, isr: [2, 3] });
    assert.deepEqual(h.zk.states.get('t/2')?.state, { controllerEpoch: 0, leader: 3, leaderEpoch: 3, isr: [3] });
    assert.equal(h.zk.preferredNode, null);
  });

  test('only the listed partitions; a node present at failover is processed then', async () => {
    const h = harness([1, 2]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2]], [1, [1, 2]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [1, 2]));
    h.zk.states.set('t/1', state(2, [1, 2]));
    h.zk.preferredNode = [{ topic: 't', partition: 1 }, { topic: 'unknown', partition: 0 }];
    await h.controller.startup();
    await drain(h.controller);
    assert.equal(h.zk.states.get('t/0')?.state.leader, 2);
    assert.equal(h.zk.states.get('t/1')?.state.leader, 1);
    assert.equal(h.zk.preferredNode, null);
  });

  test('ElectLeaders PREFERRED answers per partition', async () => {
    const h = harness([1, 2]);
    h.zk.assignments.set('t', { partitions: new Map([[0, [1, 2]], [1, [1, 2]], [2, [2, 1]]]), topicId: 'x' });
    h.zk.states.set('t/0', state(2, [1, 2]));
    h.zk.states.set('t/1', state(1, [1, 2]));
    h.zk.states.set('t/2', state(1, [1]));
    await h.controller.startup();
    await drain(h.controller);
    const out = await h.controller.electPreferredLeaders([0, 1, 2].map((partition) => ({ topic: 't', partition })).concat([{ topic: 'u', partition: 0 }]));
    assert.deepEqual(out.map((o) => [o.topic, o.partition, o.error]), [
      ['u', 0, 'UNKNOWN_TOPIC_OR_PARTITION'], ['t', 0, null], ['t', 1, 'ELECTION_NOT_NEEDED'], ['t', 2, 'PREFERRED_LEADER_NOT_AVAILABLE'],
    ]);
  });
});

describe('auto leader rebalance', () => {
  /** Broker 1 is preferred for 10 partitions and leads `led` of them; broker 2 leads the rest. */
  async function imbalanced(led: number, opts: Parameters<typeof harness>[1] = {}) {
    const h = harness([1, 2], { autoLeaderRebalanceEnable: true, leaderImbalanceCheckIntervalSeconds: 300, ...opts });
    const partitions = new Map<number, number[]>();
    for (let p = 0; p < 10; p++) {
      partitions.set(p, [1, 2]);
      h.zk.states.set(`t/${p}`, state(p < led ? 1 : 2, [1, 2]));
    }
    h.zk.assignments.set('t', { partitions, topicId: 'x' });
    await h.controller.startup();
    await drain(h.controller);
    const leaders = () => [...Array(10).keys()].filter((p) => h.zk.states.get(`t/${p}`)?.state.leader === 1).length;
    return { ...h, leaders };
  }

  test('first check 5 s after failover: above 10% imbalance, leadership returns to the preferred replicas', async () => {
    const h = await imbalanced(8);
    h.clock.advance(4999);
    await drain(h.controller);
    assert.equal(h.leaders(), 8);
    h.clock.advance(1);
    await drain(h.controller);
    assert.equal(h.leaders(), 10);
  });

  test('exactly 10% is not above the threshold', async () => {
    const h = await imbalanced(9);
    h.clock.advance(5000);
    await drain(h.controller);
    assert.equal(h.leaders(), 9);
  });

  test('the check repeats every interval: a broker that failed, came back and rejoined the ISR leads again', async () => {
    const h = await imbalanced(10);
    const [b1, b2] = h.zk.brokerList;
    h.zk.brokerList = [b2!];
    h.zk.fire('brokers');
    await drain(h.controller);
    assert.equal(h.leaders(), 0);
    h.zk.brokerList = [b2!, { ...b1!, epoch: 555 }];
    h.zk.fire('brokers');
    await drain(h.controller);
    h.clock.advance(5000);
    await drain(h.controller);
    assert.equal(h.leaders(), 0, 'broker 1 is back but not in the ISR, so it cannot lead');
    for (let p = 0; p < 10; p++) {
      const cur = h.zk.states.get(`t/${p}`)!;
      await h.controller.alterIsr({ brokerId: 2, brokerEpoch: 200, partitions: [{ topic: 't', partition: p, leaderEpoch: cur.state.leaderEpoch, newIsr: [2, 1], currentIsrVersion: cur.zkVersion }] });
    }
    h.clock.advance(299_999);
    await drain(h.controller);
    assert.equal(h.leaders(), 0);
    h.clock.advance(1);
    await drain(h.controller);
    assert.equal(h.leaders(), 10);
  });

  test('disabled: no check; resigned: the timer stops', async () => {
    const off = await imbalanced(0, { autoLeaderRebalanceEnable: false });
    off.clock.advance(600_000);
    await drain(off.controller);
    assert.equal(off.leaders(), 0);
    const resigned = await imbalanced(0);
    resigned.zk.controller = 2;
    resigned.zk.fire('controller');
    await drain(resigned.controller);
    assert.equal(resigned.controller.isActive, false);
    resigned.clock.advance(600_000);
    await drain(resigned.controller);
    assert.equal(resigned.leaders(), 0);
  });

  test('skipped while a reassignment runs', async () => {
    const h = await imbalanced(0);
    h.zk.brokerList.push({ ...h.zk.brokerList[0]!, id: 3, epoch: 300, broker: { ...h.zk.brokerList[0]!.broker, id: 3 } });
    h.zk.fire('brokers');
    await drain(h.controller);
    await h.controller.alterPartitionReassignments([{ topic: 't', partition: 0, replicas: [3, 1] }]);
    h.clock.advance(5000);
    await drain(h.controller);
    assert.equal(h.leaders(), 0);
  });
});
