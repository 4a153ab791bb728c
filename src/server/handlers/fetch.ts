import { partitionKey } from '../../cluster/controller-requests.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';

interface FetchPartitionRequest {
  partition: number;
  currentLeaderEpoch?: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
}

interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes?: number;
  isolationLevel?: number;
  sessionId?: number;
  sessionEpoch?: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
}

interface PartitionData {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  preferredReadReplica: number;
  records: Buffer;
}

const EMPTY = Buffer.alloc(0);

/**
 * Fetch v4-12 for consumers: whole stored batches from the batch containing the fetch offset, bounded by the high
 * watermark, partition_max_bytes and max_bytes (the first batch goes out whole, KIP-74). Without enough data it waits
 * until min_bytes arrive or max_wait_ms passes. Sessionless: every response carries session id 0 and all partitions.
 */
export function fetchHandler(services: BrokerServices): RequestHandler<FetchRequest> {
  const rm = services.replicaManager;

  async function readAll(ctx: RequestContext, req: FetchRequest): Promise<{ topics: { topic: string; partitions: PartitionData[] }[]; bytes: number; errors: boolean }> {
    let remaining = req.maxBytes ?? 0x7fffffff;
    let bytes = 0;
    let errors = false;
    let first = true;
    const committed = (req.isolationLevel ?? 0) === 1;
    const topics = [];
    for (const t of req.topics) {
      const partitions: PartitionData[] = [];
      for (const p of t.partitions) {
        const out: PartitionData = {
          partitionIndex: p.partition,
          errorCode: NONE,
          highWatermark: -1,
          lastStableOffset: -1,
          logStartOffset: -1,
          abortedTransactions: committed ? [] : null,
          preferredReadReplica: -1,
          records: EMPTY,
        };
        try {
          const partition = rm.leaderPartition(t.topic, p.partition);
          if (p.currentLeaderEpoch !== undefined) partition.checkLeaderEpoch(p.currentLeaderEpoch);
          const limit = Math.min(p.partitionMaxBytes, remaining);
          const r = await partition.readAsLeader(Number(p.fetchOffset), Math.max(0, limit), first);
          out.highWatermark = r.highWatermark;
          out.lastStableOffset = r.lastStableOffset;
          out.logStartOffset = r.logStartOffset;
          if (r.records !== null && r.records.length > 0) {
            out.records = r.records;
            bytes += r.records.length;
            remaining -= r.records.length;
            first = false;
          }
        } catch (err) {
          const e = toKafkaError(err, ctx.logger, { topic: t.topic, partition: p.partition });
          out.errorCode = e.errorCode;
          errors = true;
          if (e.errorCode === code('OFFSET_OUT_OF_RANGE')) {
            const partition = rm.partition(t.topic, p.partition);
            if (partition !== undefined) {
              out.highWatermark = partition.highWatermark;
              out.logStartOffset = partition.logStartOffset;
              out.lastStableOffset = partition.highWatermark;
            }
          }
        }
        partitions.push(out);
      }
      topics.push({ topic: t.topic, partitions });
    }
    return { topics, bytes, errors };
  }

  return {
    apiKey: 1,
    minVersion: 4,
    maxVersion: 12,
    async handle(ctx: RequestContext, req: FetchRequest) {
      const started = services.clock.now();
      // High watermarks as of before each read: one that moves during the read wakes the wait at once.
      const highWatermarks = (): number[] => req.topics.flatMap((t) => t.partitions.map((p) => rm.partition(t.topic, p.partition)?.highWatermark ?? -1));
      let watermarks = highWatermarks();
      let result = await readAll(ctx, req);
      const keys = req.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.topic, p.partition)));
      while (!result.errors && result.bytes < req.minBytes && req.maxWaitMs > 0 && keys.length > 0 && !ctx.signal.aborted) {
        const left = req.maxWaitMs - (services.clock.now() - started);
        if (left <= 0) break;
        const moved = await rm.waiters.waitForAny(
          keys,
          () => {
            let i = 0;
            for (const t of req.topics) {
              for (const p of t.partitions) {
                const part = rm.partition(t.topic, p.partition);
                if ((part?.highWatermark ?? -1) !== watermarks[i++] || part === undefined || !part.isLeader) return true;
              }
            }
            return false;
          },
          left,
          ctx.signal,
        );
        if (!moved) break;
        watermarks = highWatermarks();
        result = await readAll(ctx, req);
      }
      return { throttleTimeMs: 0, errorCode: NONE, sessionId: 0, responses: result.topics };
    },
  };
}
