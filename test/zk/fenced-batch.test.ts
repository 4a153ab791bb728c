import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ZkClient, ZkStat } from '../../src/zk/zk-client.js';
import { ZkBadVersionError, ZkCode, ZkNoNodeError, ZkNodeExistsError } from '../../src/zk/zk-errors.js';
import { ControllerMovedError } from '../../src/zk/kafka-zk-errors.js';
import { fencedBatch, fencedSet } from '../../src/zk/controller-fence.js';
import { KafkaZkTopicClient } from '../../src/zk/kafka-zk-topic-client.js';
import { ZkPaths } from '../../src/zk/paths.js';
import type { PartitionState } from '../../src/zk/codecs/partition-state.js';

const stat = (version: number): ZkStat => ({
  czxid: 1n, mzxid: 1n, pzxid: 1n, ctime: 0, mtime: 0, version, cversion: 0, aversion: 0, ephemeralOwner: '0', dataLength: 0, numChildren: 0,
});

/**
 * The slice of ZkClient the fenced writes use, in memory: every request answers on a later turn of the event loop
 * (in a shuffled order), and the log records each request when sent and the peak number awaiting an answer.
 */
class FakeZk {
  readonly nodes = new Map<string, { data: Buffer | null; version: number }>();
  readonly log: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** The client's current session; a test changes it to stand for an expiry followed by reconnect(). */
  sessionId = '1a';
  /** Runs right after a request's answer was computed, before the caller sees it. */
  afterAnswer: (op: string, path: string) => void = () => undefined;
  #n = 0;

  async #answer<T>(op: string, path: string, fn: () => T): Promise<T> {
    this.log.push(`${op} ${path}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const delay = (this.#n++ * 7) % 3; // answers come back out of order
    await new Promise((r) => setTimeout(r, delay));
    this.inFlight--;
    try {
      return fn();
    } finally {
      this.afterAnswer(op, path);
    }
  }

  exists(path: string): Promise<ZkStat | null> {
    return this.#answer('exists', path, () => {
      const n = this.nodes.get(path);
      return n === undefined ? null : stat(n.version);
    });
  }
  create(path: string, data: Buffer | string | null, _mode?: string): Promise<string> {
    return this.#answer('create', path, () => {
      if (this.nodes.has(path)) throw new ZkNodeExistsError(ZkCode.NODEEXISTS, 'exists', path);
      if (!this.nodes.has(path.slice(0, path.lastIndexOf('/')))) throw new ZkNoNodeError(ZkCode.NONODE, 'no parent', path);
      this.nodes.set(path, { data: typeof data === 'string' ? Buffer.from(data) : data, version: 0 });
      return path;
    });
  }
  set(path: string, data: Buffer | string | null, version: number): Promise<ZkStat> {
    return this.#answer('set', path, () => {
      const n = this.nodes.get(path);
      if (n === undefined) throw new ZkNoNodeError(ZkCode.NONODE, 'no node', path);
      if (version !== -1 && version !== n.version) throw new ZkBadVersionError(ZkCode.BADVERSION, 'bad version', path);
      n.data = typeof data === 'string' ? Buffer.from(data) : data;
      n.version++;
      return stat(n.version);
    });
  }
  asClient(): ZkClient {
    return this as unknown as ZkClient;
  }
}

const fence = { epoch: 3, epochZkVersion: 2 };
const state = (leader: number, leaderEpoch: number): PartitionState => ({ controllerEpoch: 3, leader, leaderEpoch, isr: [leader], leaderRecoveryState: 0 });

function zkWithEpoch(version = 2): FakeZk {
  const zk = new FakeZk();
  zk.nodes.set(ZkPaths.controllerEpoch, { data: Buffer.from('3'), version });
  return zk;
}

function topicWithStates(zk: FakeZk, topic: string, partitions: number): void {
  for (const p of [ZkPaths.topics, ZkPaths.topic(topic), ZkPaths.topicPartitions(topic)]) zk.nodes.set(p, { data: null, version: 0 });
  for (let p = 0; p < partitions; p++) {
    zk.nodes.set(ZkPaths.topicPartition(topic, p), { data: null, version: 0 });
    zk.nodes.set(ZkPaths.partitionState(topic, p), { data: Buffer.from('{}'), version: 0 });
  }
}

const sets = (zk: FakeZk): string[] => zk.log.filter((l) => l.startsWith('set '));

describe('fencedBatch', () => {
  test('one epoch check per slice, answered before any write of the slice is sent; the whole slice is in flight at once', async () => {
    const zk = zkWithEpoch();
    zk.nodes.set('/x', { data: null, version: 0 });
    const items = Array.from({ length: 25 }, (_, i) => i);
    const results = await fencedBatch(zk.asClient(), fence, items, async (i) => {
      await zk.set('/x', String(i), -1);
      return i * 2;
    }, 10);
    assert.deepEqual(results, items.map((i) => i * 2), 'results in input order although answers came out of order');
    const expected = [10, 10, 5].flatMap((n) => [`exists ${ZkPaths.controllerEpoch}`, ...Array.from({ length: n }, () => 'set /x')]);
    assert.deepEqual(zk.log, expected);
    assert.equal(zk.maxInFlight, 10);
  });

  test('a stale epoch at a later slice throws ControllerMovedError before any write of that slice is sent', async () => {
    const zk = zkWithEpoch();
    zk.nodes.set('/x', { data: null, version: 0 });
    await assert.rejects(
      fencedBatch(zk.asClient(), fence, Array.from({ length: 25 }, (_, i) => i), async (i) => {
        await zk.set('/x', String(i), -1);
        // Another controller takes over while the first slice is being written.
        if (i === 3) zk.nodes.set(ZkPaths.controllerEpoch, { data: Buffer.from('4'), version: 3 });
      }, 10),
      ControllerMovedError,
    );
    assert.equal(sets(zk).length, 10, 'only the first slice was written');
    assert.equal(zk.log.filter((l) => l.startsWith('exists')).length, 2);
  });

  test('the session changing during a slice (expiry, then reconnect) stops the batch at the next slice although the epoch is unchanged', async () => {
    const zk = zkWithEpoch();
    zk.nodes.set('/x', { data: null, version: 0 });
    await assert.rejects(
      fencedBatch(zk.asClient(), fence, Array.from({ length: 25 }, (_, i) => i), async (i, writes) => {
        await writes.set('/x', String(i), -1);
        if (i === 3) zk.sessionId = '2b';
      }, 10),
      (e: unknown) => e instanceof ControllerMovedError && /session changed from 1a to 2b/.test(e.message),
    );
    assert.equal(sets(zk).length, 10, 'only the first slice, sent before the change, was written');
  });

  test('the session changing while the epoch check is answered: no write of the slice is sent', async () => {
    const zk = zkWithEpoch();
    zk.nodes.set('/x', { data: null, version: 0 });
    zk.afterAnswer = (op) => {
      if (op === 'exists') zk.sessionId = '2b';
    };
    await assert.rejects(fencedBatch(zk.asClient(), fence, [1, 2, 3], async (i, writes) => writes.set('/x', String(i), -1)), ControllerMovedError);
    assert.deepEqual(sets(zk), []);
  });

  test('fencedSet: a session change after the epoch check answered is ControllerMovedError, nothing written', async () => {
    const zk = zkWithEpoch();
    zk.nodes.set('/x', { data: null, version: 0 });
    zk.afterAnswer = (op) => {
      if (op === 'exists') zk.sessionId = '2b';
    };
    await assert.rejects(fencedSet(zk.asClient(), fence, '/x', 'v', -1), ControllerMovedError);
    assert.deepEqual(sets(zk), []);
  });

  test('a stale epoch at the first slice writes nothing', async () => {
    const zk = zkWithEpoch(5);
    await assert.rejects(fencedBatch(zk.asClient(), fence, [1, 2, 3], async () => zk.set('/x', null, -1)), ControllerMovedError);
    assert.deepEqual(sets(zk), []);
  });
});

describe('KafkaZkTopicClient batch writes (pipelined, fenced per slice of 1,000)', () => {
  test('updatePartitionStates: 2,500 conditional writes, 1,000 in flight, 3 epoch checks; a stale version fails only its own partition', async () => {
    const zk = zkWithEpoch();
    topicWithStates(zk, 't', 2500);
    const client = new KafkaZkTopicClient(zk.asClient());
    const updates = Array.from({ length: 2500 }, (_, p) => ({ topic: 't', partition: p, state: state(1, 1), expectedZkVersion: p === 1234 ? 7 : 0 }));
    const results = await client.updatePartitionStates(fence, updates);
    assert.equal(zk.maxInFlight, 1000);
    assert.equal(zk.log.filter((l) => l === `exists ${ZkPaths.controllerEpoch}`).length, 3);
    assert.equal(sets(zk).length, 2500);
    assert.deepEqual(results.map((r) => r.partition), updates.map((u) => u.partition), 'results in input order');
    const failed = results.filter((r) => r.error !== null);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.partition, 1234);
    assert.ok(failed[0]?.error instanceof ZkBadVersionError);
    assert.ok(results.every((r) => r.error !== null || r.zkVersion === 1));
    assert.equal(zk.nodes.get(ZkPaths.partitionState('t', 1234))?.version, 0, 'the stale write changed nothing');
    assert.deepEqual(JSON.parse(String(zk.nodes.get(ZkPaths.partitionState('t', 0))?.data)), { controller_epoch: 3, leader: 1, version: 1, leader_epoch: 1, isr: [1] });
  });

  test('createPartitionStates creates parents and states; an existing state node is reported for its partition only', async () => {
    const zk = zkWithEpoch();
    for (const p of [ZkPaths.topics, ZkPaths.topic('a'), ZkPaths.topic('b')]) zk.nodes.set(p, { data: null, version: 0 });
    const entries = [
      ...Array.from({ length: 3 }, (_, p) => ({ topic: 'a', partition: p, state: state(1, 0) })),
      ...Array.from({ length: 2 }, (_, p) => ({ topic: 'b', partition: p, state: state(2, 0) })),
    ];
    const first = await new KafkaZkTopicClient(zk.asClient()).createPartitionStates(fence, entries.slice(0, 1));
    assert.deepEqual(first, [{ topic: 'a', partition: 0, zkVersion: 0, error: null }]);
    zk.log.length = 0;
    const results = await new KafkaZkTopicClient(zk.asClient()).createPartitionStates(fence, entries);
    assert.deepEqual(results.map((r) => [r.topic, r.partition, r.zkVersion]), [['a', 0, null], ['a', 1, 0], ['a', 2, 0], ['b', 0, 0], ['b', 1, 0]]);
    assert.ok(results[0]?.error instanceof ZkNodeExistsError);
    for (const e of entries) assert.ok(zk.nodes.has(ZkPaths.partitionState(e.topic, e.partition)));
    // One check before the per-topic parents, one before the partitions: never a write before its check.
    assert.equal(zk.log[0], `exists ${ZkPaths.controllerEpoch}`);
    assert.equal(zk.log.filter((l) => l.startsWith('exists')).length, 2);
  });

  test('createPartitionStates: a session change between a partition parent and its state create aborts the batch before the create', async () => {
    const zk = zkWithEpoch();
    for (const p of [ZkPaths.topics, ZkPaths.topic('a')]) zk.nodes.set(p, { data: null, version: 0 });
    zk.afterAnswer = (op, path) => {
      if (op === 'create' && path === ZkPaths.topicPartition('a', 0)) zk.sessionId = '2b';
    };
    await assert.rejects(new KafkaZkTopicClient(zk.asClient()).createPartitionStates(fence, [{ topic: 'a', partition: 0, state: state(1, 0) }]), ControllerMovedError);
    assert.equal(zk.nodes.has(ZkPaths.partitionState('a', 0)), false, 'the state create was not sent');
  });

  test('updatePartitionStates: a session change after the epoch check is ControllerMovedError, not a per-partition failure', async () => {
    const zk = zkWithEpoch();
    topicWithStates(zk, 't', 2);
    zk.afterAnswer = (op) => {
      if (op === 'exists') zk.sessionId = '2b';
    };
    const updates = [0, 1].map((p) => ({ topic: 't', partition: p, state: state(1, 1), expectedZkVersion: 0 }));
    await assert.rejects(new KafkaZkTopicClient(zk.asClient()).updatePartitionStates(fence, updates), ControllerMovedError);
    assert.deepEqual(sets(zk), []);
  });

  test('createPartitionStates when fenced throws ControllerMovedError and creates nothing', async () => {
    const zk = zkWithEpoch(9);
    zk.nodes.set(ZkPaths.topic('a'), { data: null, version: 0 });
    await assert.rejects(new KafkaZkTopicClient(zk.asClient()).createPartitionStates(fence, [{ topic: 'a', partition: 0, state: state(1, 0) }]), ControllerMovedError);
    assert.deepEqual(zk.log.filter((l) => l.startsWith('create')), []);
  });
});
