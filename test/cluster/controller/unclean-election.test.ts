import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { drain, harness, state } from './controller-harness.js';

/** t-0: replicas [2, 3], leader 2, ISR [2] (3 lags); broker 2 then dies. */
async function isrLeaderDies(brokerSetting: boolean, topicSetting?: string) {
  const h = harness([1, 2, 3], { uncleanLeaderElectionEnable: brokerSetting });
  h.zk.assignments.set('t', { partitions: new Map([[0, [2, 3]]]), topicId: 'x' });
  h.zk.states.set('t/0', state(2, [2]));
  if (topicSetting !== undefined) h.zk.topicConfigs.set('t', { 'unclean.leader.election.enable': topicSetting });
  await h.controller.startup();
  await drain(h.controller);
  h.zk.brokerList = h.zk.brokerList.filter((b) => b.id !== 2);
  h.zk.fire('brokers');
  await drain(h.controller);
  return h;
}

describe('unclean leader election', () => {
  test('off by default: the partition stays leaderless with the dead ISR', async () => {
    const h = await isrLeaderDies(false);
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: -1, leaderEpoch: 1, isr: [2] });
  });

  test('the topic override enables it over the broker setting: a live out-of-sync replica leads with ISR [leader]', async () => {
    const h = await isrLeaderDies(false, 'true');
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 1, isr: [3] });
  });

  test('the topic override disables it when the broker enables it', async () => {
    const h = await isrLeaderDies(true, 'false');
    assert.equal(h.zk.states.get('t/0')?.state.leader, -1);
  });

  test('the broker setting applies to a topic without an override', async () => {
    const h = await isrLeaderDies(true);
    assert.equal(h.zk.states.get('t/0')?.state.leader, 3);
  });

  test('enabling it on the topic later retries the leaderless partition', async () => {
    const h = await isrLeaderDies(false);
    assert.equal(h.zk.states.get('t/0')?.state.leader, -1);
    h.zk.topicConfigs.set('t', { 'unclean.leader.election.enable': 'true' });
    await h.controller.topicConfigChanged('t');
    await drain(h.controller);
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 2, isr: [3] });
  });

  test('ElectLeaders UNCLEAN: leaderless partitions get a leader; others ELECTION_NOT_NEEDED or ELIGIBLE_LEADERS_NOT_AVAILABLE', async () => {
    const h = await isrLeaderDies(false);
    h.zk.assignments.set('u', { partitions: new Map([[0, [1]], [1, [2]]]), topicId: 'y' });
    h.zk.states.set('u/0', state(1, [1]));
    h.zk.states.set('u/1', state(-1, [2], 1));
    h.zk.fire('topics');
    await drain(h.controller);
    const out = await h.controller.electUncleanLeaders([{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }, { topic: 'u', partition: 1 }]);
    assert.deepEqual(out.map((o) => o.error), [null, 'ELECTION_NOT_NEEDED', 'ELIGIBLE_LEADERS_NOT_AVAILABLE']);
    assert.deepEqual(h.zk.states.get('t/0')?.state, { controllerEpoch: 1, leader: 3, leaderEpoch: 2, isr: [3] });
  });
});
