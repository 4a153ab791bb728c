import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Controller } from '../../../src/cluster/controller/controller.js';
import type { LeaderAndIsrRequest } from '../../../src/cluster/controller-requests.js';
import type { ControllerFence, PartitionStateUpdate, PartitionWriteResult } from '../../../src/cluster/controller/controller-zk.js';
import { ManualClock } from '../../../src/util/clock.js';
import { moduleLogger } from '../../../src/util/logger.js';
import { broker, FakeControllerZk } from './fake-controller-zk.js';
import { drain, leaderAndIsrTo, state } from './controller-harness.js';
import type { Sent } from './controller-harness.js';

/** A FakeControllerZk whose reads answer on a later timer tick, counting how many are awaiting an answer at once. */
class SlowReadZk extends FakeControllerZk {
  inFlight = 0;
  maxInFlight = 0;
  stateReads: string[] = [];
  configReads: string[] = [];
  updateBatches: PartitionStateUpdate[][] = [];
  /** Partitions whose state a "leader" rewrites right before the controller's next write: that write goes stale. */
  bumpBeforeWrite = new Set<string>();
  #n = 0;

  async #slow<T>(fn: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, (this.#n++ * 7) % 3));
    this.inFlight--;
    return fn();
  }
  override async partitionState(topic: string, partition: number) {
    this.stateReads.push(`${topic}/${partition}`);
    return this.#slow(() => this.states.get(`${topic}/${partition}`) ?? null);
  }
  override async topicConfig(topic: string) {
    this.configReads.push(topic);
    return this.#slow(() => this.topicConfigs.get(topic) ?? {});
  }
  override async updatePartitionStates(fence: ControllerFence, updates: PartitionStateUpdate[]): Promise<PartitionWriteResult[]> {
    this.updateBatches.push(updates);
    for (const key of this.bumpBeforeWrite) {
      const cur = this.states.get(key);
      if (cur !== undefined) this.states.set(key, { state: { ...cur.state, isr: [...cur.state.isr] }, zkVersion: cur.zkVersion + 1 });
    }
    this.bumpBeforeWrite.clear();
    return super.updatePartitionStates(fence, updates);
  }
}

function controllerOver(zk: SlowReadZk, sent: Sent[], unclean = false): Controller {
  return new Controller({
    brokerId: 1,
    zk,
    channel: {
      async sendToBroker(to: number, type: string, payload: unknown) {
        sent.push({ to, type, payload });
        return { errorCode: 0, partitionErrors: [] };
      },
    },
    clock: new ManualClock(),
    logger: moduleLogger('controller-test'),
    deleteTopicEnable: true,
    uncleanLeaderElectionEnable: unclean,
    autoLeaderRebalanceEnable: false,
  });
}

/** `topics` topics of `perTopic` partitions each, replicas [2, 3], led by 2. */
function load(zk: SlowReadZk, topics: number, perTopic: number): void {
  for (let t = 0; t < topics; t++) {
    const name = `t${t}`;
    zk.assignments.set(name, { partitions: new Map(Array.from({ length: perTopic }, (_, p) => [p, [2, 3]])), topicId: `id-${t}` });
    for (let p = 0; p < perTopic; p++) zk.states.set(`${name}/${p}`, state(2, [2, 3]));
  }
}

describe('controller ZooKeeper work is pipelined', () => {
  test('failover reads 2,500 partition states with 1,000 in flight and loads them in topic/partition order', async () => {
    const zk = new SlowReadZk();
    zk.brokerList = [1, 2, 3].map((id) => broker(id));
    load(zk, 5, 500);
    const sent: Sent[] = [];
    const controller = controllerOver(zk, sent);
    await controller.startup();
    await drain(controller);
    assert.equal(zk.stateReads.length, 2500, 'each state read once');
    assert.equal(zk.maxInFlight, 1000);
    const lai = leaderAndIsrTo(sent, 2);
    assert.equal(lai.length, 1, 'one LeaderAndIsr for all partitions');
    const order = lai[0]?.partitions.map((p) => `${p.topic}/${p.partition}`);
    const expected = Array.from({ length: 5 }, (_, t) => Array.from({ length: 500 }, (_, p) => `t${t}/${p}`)).flat();
    assert.deepEqual(order, expected);
    assert.ok(lai[0]?.partitions.every((p) => p.leader === 2 && p.zkVersion === 0));
  });

  test('controlled shutdown writes all partitions as one batch; a stale version re-reads and retries only that partition', async () => {
    const zk = new SlowReadZk();
    zk.brokerList = [1, 2, 3].map((id) => broker(id));
    load(zk, 1, 1500);
    // 500 partitions that broker 2 only follows: it leaves their ISR in a second batch.
    zk.assignments.set('f', { partitions: new Map(Array.from({ length: 500 }, (_, p) => [p, [3, 2]])), topicId: 'id-f' });
    for (let p = 0; p < 500; p++) zk.states.set(`f/${p}`, state(3, [3, 2]));
    const sent: Sent[] = [];
    const controller = controllerOver(zk, sent);
    await controller.startup();
    await drain(controller);
    zk.stateReads = [];
    zk.updateBatches = [];
    zk.bumpBeforeWrite.add('t0/700'); // the leader's AlterIsr landed in between: zkVersion 1 in ZooKeeper
    sent.length = 0;

    const r = await controller.controlledShutdown(2, 200);
    assert.deepEqual(r.remaining, []);
    // Leadership moves (the new ISR leaves 2 out): the batch of 1,500, then the retry of t0/700 alone; then the
    // ISR shrink of the partitions it follows.
    assert.deepEqual(zk.updateBatches.map((b) => b.length), [1500, 1, 500]);
    assert.deepEqual(zk.updateBatches[1]?.map((u) => [`${u.topic}/${u.partition}`, u.expectedZkVersion]), [['t0/700', 1]]);
    assert.deepEqual(zk.stateReads, ['t0/700'], 'only the stale partition was re-read');
    for (const p of [0, 700, 1499]) {
      const s = zk.states.get(`t0/${p}`);
      assert.equal(s?.state.leader, 3);
      assert.deepEqual(s?.state.isr, [3]);
    }
    // One LeaderAndIsr per broker and change, carrying every partition, in partition order.
    const to3 = leaderAndIsrTo(sent, 3) as LeaderAndIsrRequest[];
    assert.equal(to3.length, 2);
    assert.deepEqual(to3[0]?.partitions.map((p) => `${p.topic}/${p.partition}`), Array.from({ length: 1500 }, (_, p) => `t0/${p}`));
    assert.deepEqual(to3[1]?.partitions.map((p) => `${p.topic}/${p.partition}`), Array.from({ length: 500 }, (_, p) => `f/${p}`));
    assert.ok(to3[1]?.partitions.every((p) => p.leader === 3 && p.isr.length === 1 && p.isr[0] === 3));
    assert.equal(leaderAndIsrTo(sent, 2).length, 1, 'the stopping broker learns it no longer leads, not about the ISR shrink');
  });

  test('unclean.leader.election.enable is read for all leaderless topics concurrently', async () => {
    const zk = new SlowReadZk();
    zk.brokerList = [1, 2, 3].map((id) => broker(id));
    for (let t = 0; t < 30; t++) {
      zk.assignments.set(`u${t}`, { partitions: new Map([[0, [4, 2]]]), topicId: `id-${t}` });
      zk.states.set(`u${t}/0`, state(4, [4]));
      if (t % 2 === 0) zk.topicConfigs.set(`u${t}`, { 'unclean.leader.election.enable': 'true' });
    }
    const controller = controllerOver(zk, []);
    await controller.startup();
    await drain(controller);
    assert.equal(zk.configReads.length, 30);
    assert.ok(zk.maxInFlight > 1);
    for (let t = 0; t < 30; t++) assert.equal(zk.states.get(`u${t}/0`)?.state.leader, t % 2 === 0 ? 2 : 4, `u${t}`);
  });

  test('AlterIsr writes the accepted ISRs as one batch; a stale one answers INVALID_UPDATE_VERSION after a re-read of it alone', async () => {
    const zk = new SlowReadZk();
    zk.brokerList = [1, 2, 3].map((id) => broker(id));
    load(zk, 1, 4);
    const controller = controllerOver(zk, []);
    await controller.startup();
    await drain(controller);
    zk.stateReads = [];
    zk.updateBatches = [];
    zk.bumpBeforeWrite.add('t0/2');
    const shrink = (partition: number) => ({ topic: 't0', partition, leaderEpoch: 0, newIsr: [2], currentIsrVersion: 0 });
    const r = await controller.alterIsr({ brokerId: 2, brokerEpoch: 200, partitions: [shrink(3), shrink(2), { ...shrink(9) }, shrink(0)] });
    assert.deepEqual(r.partitions.map((p) => [p.partition, p.errorCode]), [[3, 0], [2, 95], [9, 3], [0, 0]], 'answers in request order');
    assert.deepEqual(zk.updateBatches.map((b) => b.map((u) => u.partition)), [[3, 2, 0]]);
    assert.deepEqual(zk.stateReads, ['t0/2']);
    assert.equal(r.partitions[1]?.currentIsrVersion, 1, 'the answer carries the re-read version');
    assert.deepEqual(zk.states.get('t0/3')?.state.isr, [2]);

    // The same partition twice in one request: the second proposal is judged after the first was written.
    zk.updateBatches = [];
    const again = await controller.alterIsr({ brokerId: 2, brokerEpoch: 200, partitions: [{ ...shrink(1) }, { ...shrink(1), newIsr: [2, 3], currentIsrVersion: 1 }] });
    assert.deepEqual(again.partitions.map((p) => [p.partition, p.errorCode, p.currentIsrVersion]), [[1, 0, 1], [1, 0, 2]]);
    assert.deepEqual(zk.updateBatches.map((b) => b.length), [1, 1]);
  });
});
