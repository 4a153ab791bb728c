import type { OffsetFetchResult } from '../../coordinator/group/group-api.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';
import { groupByTopic } from './group-by-topic.js';

type TopicsRequest = { name: string; partitionIndexes: number[] }[] | null;

interface OffsetFetchRequest {
  groupId?: string;
  topics?: TopicsRequest;
  groups?: { groupId: string; topics: TopicsRequest }[];
  requireStable?: boolean;
}

/**
 * OffsetFetch v1-8 (v8 batches groups). A group-level failure is a top-level error from v2; v1 has none, so each
 * requested partition carries it, as Kafka answers.
 */
export function offsetFetchHandler(services: BrokerServices): RequestHandler<OffsetFetchRequest> {
  async function fetchGroup(version: number, groupId: string, topics: TopicsRequest, requireStable: boolean): Promise<OffsetFetchResult> {
    const partitions = topics === null ? null : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
    const r = await services.groupCoordinator.fetchOffsets({ groupId, partitions, requireStable });
    if (r.error === 'NONE') return r;
    if (version >= 2 || partitions === null) return { error: r.error, partitions: [] };
    return { error: r.error, partitions: partitions.map((p) => ({ ...p, offset: -1, leaderEpoch: -1, metadata: '', error: r.error })) };
  }
  const topicsOf = (r: OffsetFetchResult) =>
    groupByTopic(r.partitions, (p) => ({
      partitionIndex: p.partition,
      committedOffset: BigInt(p.offset),
      committedLeaderEpoch: p.leaderEpoch,
      metadata: p.metadata,
      errorCode: code(p.error),
    }));

  return {
    apiKey: 9,
    minVersion: 1,
    maxVersion: 8,
    async handle(ctx: RequestContext, req: OffsetFetchRequest) {
      const requireStable = req.requireStable ?? false;
      if (ctx.header.apiVersion >= 8) {
        const groups = await Promise.all((req.groups ?? []).map(async (g) => {
          const r = await fetchGroup(ctx.header.apiVersion, g.groupId, g.topics, requireStable);
          return { groupId: g.groupId, topics: topicsOf(r), errorCode: code(r.error) };
        }));
        return { throttleTimeMs: 0, groups };
      }
      const r = await fetchGroup(ctx.header.apiVersion, req.groupId ?? '', req.topics ?? null, requireStable);
      return { throttleTimeMs: 0, topics: topicsOf(r), errorCode: code(r.error) };
    },
  };
}
