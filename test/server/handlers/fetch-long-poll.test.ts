import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { BrokerServices } from '../../../src/server/broker-services.js';
import { fetchHandler } from '../../../src/server/handlers/fetch.js';
import type { RequestContext } from '../../../src/server/request-context.js';
import { leaderAndIsr, produced, withReplicaManager } from '../../cluster/replication-fixtures.js';

describe('Fetch long poll', () => {
  test('data that arrives while the first read is under way answers the fetch at once, not after max_wait_ms', async () => {
    await withReplicaManager(async ({ rm, clock }) => {
      await rm.becomeLeaderOrFollower({ controllerId: 1, controllerEpoch: 1, brokerEpoch: -1, partitions: [leaderAndIsr({ leader: 1, leaderEpoch: 1, isr: [1], replicas: [1] })], topicIds: {}, liveLeaders: [] });
      const p = rm.partition('t', 0);
      assert.ok(p !== undefined);
      // The first read finds nothing; a produce lands (and moves the high watermark) before that read returns.
      const read = p.readAsLeader.bind(p);
      let first = true;
      p.readAsLeader = async (...args) => {
        const r = await read(...args);
        if (first) {
          first = false;
          await rm.appendRecords('t', 0, produced(3), 1, 1000);
        }
        return r;
      };
      const handler = fetchHandler({ replicaManager: rm, clock } as unknown as BrokerServices);
      const ctx = { signal: new AbortController().signal, receivedAtMs: 0 } as unknown as RequestContext;
      const req = {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }],
        forgottenTopicsData: [],
        rackId: '',
      };
      // The manual clock never advances: without the fix this waits forever and the test times out.
      const resp = (await handler.handle(ctx, req as never)) as { responses: { partitions: { records: Buffer | null; highWatermark: bigint }[] }[] };
      const part = resp.responses[0]?.partitions[0];
      assert.equal(Number(part?.highWatermark), 3);
      assert.ok((part?.records?.length ?? 0) > 0, 'the records are in the answer');
    });
  });
});
