import type { Partition } from '../../src/cluster/partition.js';
import type { ReplicaFetchPartitionResponse, ReplicaFetchRequest, ReplicaFetchResponse } from '../../src/cluster/replica-fetch.js';
import type { FetchSender, ReplicaFetcherSettings } from '../../src/replication/replica-fetcher.js';
import { eventually } from '../cluster/replication-fixtures.js';

/** Test helper for replica fetcher tests: a leader the test answers by hand. Not a test file. */

export const SETTINGS: ReplicaFetcherSettings = {
  maxWaitMs: 500,
  minBytes: 1,
  maxBytes: 1 << 20,
  partitionMaxBytes: 1 << 20,
  backoffMs: 250,
  requestTimeoutMs: 3000,
};

export interface FetchCall {
  leaderId: number;
  req: ReplicaFetchRequest;
  timeoutMs: number;
  respond: (r: ReplicaFetchResponse) => void;
  fail: (err: Error) => void;
}

/** Every fetch stays open until the test answers it, as a long-polling leader would. */
export class ScriptedLeaders {
  readonly calls: FetchCall[] = [];
  readonly send: FetchSender = (leaderId, req, timeoutMs) =>
    new Promise((respond, fail) => this.calls.push({ leaderId, req, timeoutMs, respond, fail }));

  /** The `n`-th fetch (0-based), once the fetcher has sent it. */
  async call(n: number): Promise<FetchCall> {
    await eventually(() => this.calls.length > n, `fetch #${n}`);
    const c = this.calls[n];
    if (c === undefined) throw new Error('unreachable');
    return c;
  }
}

/** One partition's answer with defaults for everything the test does not care about. */
export function partitionResponse(fields: Partial<ReplicaFetchPartitionResponse>): ReplicaFetchPartitionResponse {
  return { topic: 't', partition: 0, errorCode: 0, highWatermark: 0, logStartOffset: 0, logEndOffset: 0, divergingEpoch: null, records: null, ...fields };
}

/** Answers a fetch the way a real leader partition does (all requested partitions must be `leader`'s). */
export async function answerFrom(leader: Partition, replicaId: number, call: FetchCall): Promise<void> {
  const partitions: ReplicaFetchPartitionResponse[] = [];
  for (const x of call.req.partitions) {
    const r = await leader.fetchForFollower(replicaId, {
      fetchOffset: x.fetchOffset,
      lastFetchedEpoch: x.lastFetchedEpoch,
      currentLeaderEpoch: x.currentLeaderEpoch,
      maxBytes: x.partitionMaxBytes,
    });
    partitions.push({ topic: x.topic, partition: x.partition, errorCode: 0, ...r });
  }
  call.respond({ errorCode: 0, partitions });
}
