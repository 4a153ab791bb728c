import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { NONE, toKafkaError } from './errors.js';

interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel?: number;
  topics: { name: string; partitions: { partitionIndex: number; currentLeaderEpoch?: number; timestamp: bigint }[] }[];
}

const LATEST = -1;
const EARLIEST = -2;

/** ListOffsets v1-6: earliest (-2), latest (-1, the high watermark) and the first offset at or after a timestamp. */
export function listOffsetsHandler(services: BrokerServices): RequestHandler<ListOffsetsRequest> {
  const rm = services.replicaManager;
  return {
    apiKey: 2,
    minVersion: 1,
    maxVersion: 6,
    async handle(ctx: RequestContext, req: ListOffsetsRequest) {
      const topics = [];
      for (const t of req.topics) {
        const partitions = [];
        for (const p of t.partitions) {
          try {
            const partition = rm.leaderPartition(t.name, p.partitionIndex);
            if (p.currentLeaderEpoch !== undefined) partition.checkLeaderEpoch(p.currentLeaderEpoch);
            const ts = Number(p.timestamp);
            let offset: number;
            let timestamp = -1;
            if (ts === LATEST) offset = partition.highWatermark;
            else if (ts === EARLIEST) offset = partition.logStartOffset;
            else {
              const found = await partition.offsetForTimestamp(ts);
              offset = found?.offset ?? -1;
              timestamp = found?.timestamp ?? -1;
            }
            partitions.push({ partitionIndex: p.partitionIndex, errorCode: NONE, timestamp, offset, leaderEpoch: partition.leaderEpoch });
          } catch (err) {
            const e = toKafkaError(err, ctx.logger, { topic: t.name, partition: p.partitionIndex });
            ctx.logger.info('ListOffsets failed for a partition', { topic: t.name, partition: p.partitionIndex, errorCode: e.errorCode, reason: e.errorMessage });
            partitions.push({ partitionIndex: p.partitionIndex, errorCode: e.errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 });
          }
        }
        topics.push({ name: t.name, partitions });
      }
      return { throttleTimeMs: 0, topics };
    },
  };
}
