import type { PartitionErrorResult } from '../../coordinator/group/group-api.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';
import { groupByTopic } from './group-by-topic.js';

interface OffsetCommitRequest {
  groupId: string;
  generationId?: number;
  memberId: string;
  groupInstanceId?: string | null;
  retentionTimeMs?: bigint;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch?: number; committedMetadata: string | null }[];
  }[];
}

const MAX_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * OffsetCommit v2-8. Partitions the cluster does not have get UNKNOWN_TOPIC_OR_PARTITION (Kafka checks its
 * metadata cache first); the rest go to the group coordinator, which writes them to `__consumer_offsets`.
 */
export function offsetCommitHandler(services: BrokerServices): RequestHandler<OffsetCommitRequest> {
  return {
    apiKey: 8,
    minVersion: 2,
    maxVersion: 8,
    async handle(ctx: RequestContext, req: OffsetCommitRequest) {
      const refused: PartitionErrorResult[] = [];
      const offsets = [];
      for (const t of req.topics) {
        for (const p of t.partitions) {
          if (services.metadataCache.partition(t.name, p.partitionIndex) === undefined) {
            refused.push({ topic: t.name, partition: p.partitionIndex, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
          } else if (p.committedOffset > MAX_OFFSET || p.committedOffset < -1n) {
            // Offsets are JS numbers past the codec; one that does not fit is refused rather than rounded.
            refused.push({ topic: t.name, partition: p.partitionIndex, error: 'INVALID_REQUEST' });
          } else {
            offsets.push({
              topic: t.name,
              partition: p.partitionIndex,
              offset: Number(p.committedOffset),
              leaderEpoch: p.committedLeaderEpoch ?? -1,
              metadata: p.committedMetadata,
            });
          }
        }
      }
      const committed = offsets.length === 0 ? [] : (await services.groupCoordinator.commitOffsets({
        groupId: req.groupId,
        generationId: req.generationId ?? -1,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
        retentionTimeMs: ctx.header.apiVersion <= 4 ? Number(req.retentionTimeMs ?? -1n) : -1,
        offsets,
      })).partitions;
      const results = [...committed, ...refused];
      return { throttleTimeMs: 0, topics: groupByTopic(results, (r) => ({ partitionIndex: r.partition, errorCode: code(r.error) })) };
    },
  };
}
