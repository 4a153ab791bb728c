import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignNewPartitions,
  assignReplicasToBrokers,
  InvalidPartitionsError,
  InvalidReplicationFactorError,
} from '../../src/cluster/replica-assignment.js';

const asObject = (m: Map<number, number[]>): Record<number, number[]> => Object.fromEntries(m);

describe('assignReplicasToBrokers', () => {
  test('matches the zk-layout worked example (brokers 0-4, 10 partitions, RF 3, start = shift = 0)', () => {
    assert.deepEqual(asObject(assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 3, 0)), {
      0: [0, 1, 2], 1: [1, 2, 3], 2: [2, 3, 4], 3: [3, 4, 0], 4: [4, 0, 1],
      5: [0, 2, 3], 6: [1, 3, 4], 7: [2, 4, 0], 8: [3, 0, 1], 9: [4, 1, 2],
    });
  });

  test('sorts broker ids and maps indices to ids', () => {
    assert.deepEqual(asObject(assignReplicasToBrokers([30, 10, 20], 3, 2, 0)), {
      0: [10, 20], 1: [20, 30], 2: [30, 10],
    });
  });

  test('random start index and shift are drawn independently', () => {
    const draws = [0.5, 0.0]; // startIndex = floor(0.5*4) = 2, shift = 0
    const m = assignReplicasToBrokers([1, 2, 3, 4], 2, 2, -1, -1, () => draws.shift() ?? 0);
    assert.deepEqual(asObject(m), { 0: [3, 4], 1: [4, 1] });
  });

  test('every partition gets RF distinct replicas and leaders spread evenly', () => {
    const m = assignReplicasToBrokers([1, 2, 3, 4, 5, 6], 60, 3);
    const leaders = new Map<number, number>();
    for (const replicas of m.values()) {
      assert.equal(new Set(replicas).size, 3);
      leaders.set(replicas[0] as number, (leaders.get(replicas[0] as number) ?? 0) + 1);
    }
    assert.deepEqual([...leaders.values()], [10, 10, 10, 10, 10, 10]);
  });

  test('numbers partitions from startPartitionId', () => {
    assert.deepEqual([...assignReplicasToBrokers([0, 1], 2, 1, 0, 5).keys()], [5, 6]);
  });

  test('rejects bad inputs with Kafka error names', () => {
    assert.throws(() => assignReplicasToBrokers([0, 1], 0, 1), (e: unknown) => e instanceof InvalidPartitionsError && e.kafkaError === 'INVALID_PARTITIONS');
    assert.throws(() => assignReplicasToBrokers([0, 1], 1, 0), InvalidReplicationFactorError);
    assert.throws(
      () => assignReplicasToBrokers([0, 1], 1, 3),
      (e: unknown) => e instanceof InvalidReplicationFactorError && e.kafkaError === 'INVALID_REPLICATION_FACTOR' && /larger than available brokers: 2/.test(e.message),
    );
  });
});

describe('assignNewPartitions', () => {
  test('continues from the current count, starting at the broker of partition 0 leader', () => {
    const existing = new Map([[0, [2, 3]], [1, [3, 1]]]);
    const next = assignNewPartitions(existing, [1, 2, 3], 4);
    // startIndex = index of the first broker >= 2 = 1; partitions 2 and 3, shift starts at 1 and grows at p=3.
    assert.deepEqual(asObject(next), { 0: [2, 3], 1: [3, 1], 2: [1, 3], 3: [2, 3] });
    assert.deepEqual(existing.get(0), [2, 3], 'input is not modified');
  });

  test('grows the worked example from 6 to 10 partitions (shift restarts at the fixed start index)', () => {
    const first6 = new Map([...assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 3, 0)].filter(([p]) => p < 6));
    const next = assignNewPartitions(first6, [4, 3, 2, 1, 0], 10);
    assert.deepEqual(asObject(next), {
      ...asObject(first6),
      6: [1, 2, 3], 7: [2, 3, 4], 8: [3, 4, 0], 9: [4, 0, 1],
    });
  });

  test('rejects a non-increase', () => {
    assert.throws(() => assignNewPartitions(new Map([[0, [1]]]), [1], 1), InvalidPartitionsError);
  });
});
