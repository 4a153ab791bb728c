import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { NONE, toKafkaError } from './errors.js';

interface DeleteRecordsRequest {
  topics: { name: string; partitions: { partitionIndex: number; offset: bigint }[] }[];
  timeoutMs: number;
}

/** DeleteRecords v0-2: moves each partition's log start offset (-1 means the high watermark). */
export function deleteRecordsHandler(services: BrokerServices): RequestHandler<DeleteRecordsRequest> {
  return {
    apiKey: 21,
    minVersion: 0,
    maxVersion: 2,
    async handle(ctx: RequestContext, req: DeleteRecordsRequest) {
      const topics = await Promise.all(req.topics.map(async (t) => ({
        name: t.name,
        partitions: await Promise.all(t.partitions.map(async (p) => {
          try {
            const partition = services.replicaManager.leaderPartition(t.name, p.partitionIndex);
            const lowWatermark = await partition.deleteRecordsBefore(Number(p.offset));
            return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: NONE };
          } catch (err) {
            const e = toKafkaError(err, ctx.logger, { topic: t.name, partition: p.partitionIndex });
            return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: e.errorCode };
          }
        })),
      })));
      return { throttleTimeMs: 0, topics };
    },
  };
}
