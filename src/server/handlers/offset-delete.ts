import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';
import { groupByTopic } from './group-by-topic.js';

interface OffsetDeleteRequest {
  groupId: string;
  topics: { name: string; partitions: { partitionIndex: number }[] }[];
}

/** OffsetDelete v0: removes committed offsets of partitions the group no longer consumes. */
export function offsetDeleteHandler(services: BrokerServices): RequestHandler<OffsetDeleteRequest> {
  return {
    apiKey: 47,
    minVersion: 0,
    maxVersion: 0,
    async handle(_ctx: RequestContext, req: OffsetDeleteRequest) {
      const partitions = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex })));
      const r = await services.groupCoordinator.deleteOffsets(req.groupId, partitions);
      return {
        errorCode: code(r.error),
        throttleTimeMs: 0,
        topics: groupByTopic(r.partitions, (p) => ({ partitionIndex: p.partition, errorCode: code(p.error) })),
      };
    },
  };
}
