import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrokerServices } from '../../src/server/broker-services.js';
import type { RequestContext } from '../../src/server/request-context.js';
import { alterPartitionReassignmentsHandler, listPartitionReassignmentsHandler } from '../../src/server/handlers/partition-reassignments.js';
import type { ReassignmentRequest } from '../../src/cluster/controller/reassignment.js';

function services(active: boolean, seen: ReassignmentRequest[][] = []): BrokerServices {
  const controller = {
    async alterPartitionReassignments(reqs: ReassignmentRequest[]) {
      seen.push(reqs);
      if (!active) return null;
      return reqs.map((r) => ({ topic: r.topic, partition: r.partition, error: r.partition === 1 ? 'NO_REASSIGNMENT_IN_PROGRESS' : null, message: r.partition === 1 ? 'none' : null }));
    },
    async listPartitionReassignments(filter: unknown) {
      if (!active) return null;
      assert.deepEqual(filter, [{ topic: 'a', partition: 0 }]);
      return [{ topic: 'a', partition: 0, replicas: [2, 1], addingReplicas: [2], removingReplicas: [1] }];
    },
  };
  return { controller } as unknown as BrokerServices;
}
const ctx = {} as RequestContext;

describe('AlterPartitionReassignments / ListPartitionReassignments handlers', () => {
  test('per-partition results grouped by topic; null replicas pass through as a cancellation', async () => {
    const seen: ReassignmentRequest[][] = [];
    const res = await alterPartitionReassignmentsHandler(services(true, seen)).handle(ctx, {
      timeoutMs: 1000,
      topics: [{ name: 'a', partitions: [{ partitionIndex: 0, replicas: [2] }, { partitionIndex: 1, replicas: null }] }],
    });
    assert.deepEqual(seen, [[{ topic: 'a', partition: 0, replicas: [2] }, { topic: 'a', partition: 1, replicas: null }]]);
    assert.deepEqual(res, {
      throttleTimeMs: 0, errorCode: 0, errorMessage: null,
      responses: [{ name: 'a', partitions: [{ partitionIndex: 0, errorCode: 0, errorMessage: null }, { partitionIndex: 1, errorCode: 85, errorMessage: 'none' }] }],
    });
  });

  test('a broker that is not the controller answers NOT_CONTROLLER (41)', async () => {
    const alter = await alterPartitionReassignmentsHandler(services(false)).handle(ctx, { timeoutMs: 1, topics: [] });
    assert.equal((alter as { errorCode: number }).errorCode, 41);
    const list = await listPartitionReassignmentsHandler(services(false)).handle(ctx, { timeoutMs: 1, topics: null });
    assert.equal((list as { errorCode: number }).errorCode, 41);
  });

  test('list with a topic filter', async () => {
    const res = await listPartitionReassignmentsHandler(services(true)).handle(ctx, { timeoutMs: 1, topics: [{ name: 'a', partitionIndexes: [0] }] });
    assert.deepEqual(res, {
      throttleTimeMs: 0, errorCode: 0, errorMessage: null,
      topics: [{ name: 'a', partitions: [{ partitionIndex: 0, replicas: [2, 1], addingReplicas: [2], removingReplicas: [1] }] }],
    });
  });
});
