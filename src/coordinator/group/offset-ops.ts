import type { ErrorName } from '../../protocol/error-codes.js';
import {
  GROUP_STATE,
  type OffsetCommitParams,
  type OffsetDeleteResult,
  type PartitionErrorResult,
  type TopicPartitionRef,
} from './group-api.js';
import { GroupMetadata } from './group-metadata.js';
import type { OffsetEntry } from './group-offsets.js';
import type { CoordinatorContext } from './coordinator-context.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GROUP_STATE;

function partitionErrors(tps: readonly TopicPartitionRef[], errors: readonly ErrorName[] | ErrorName): PartitionErrorResult[] {
  return tps.map((tp, i) => ({
    topic: tp.topic,
    partition: tp.partition,
    error: typeof errors === 'string' ? errors : (errors[i] ?? 'UNKNOWN_SERVER_ERROR'),
  }));
}

/** Kafka's validateOffsetCommit (non-transactional). */
function validateOffsetCommit(group: GroupMetadata, p: OffsetCommitParams): ErrorName | null {
  if (p.generationId >= 0 || p.memberId !== '' || p.groupInstanceId !== null) {
    return group.validateMemberGeneration(p.memberId, p.groupInstanceId, p.generationId);
  }
  if (group.is(Dead)) return 'COORDINATOR_NOT_AVAILABLE';
  // Generation -1, member "" and no instance id: a simple commit (admin client, consumer without group
  // management), which only an Empty group accepts.
  return group.is(Empty) ? null : 'UNKNOWN_MEMBER_ID';
}

/** OffsetCommit after the coordinator-level checks; per-partition errors. */
export async function doCommitOffsets(ctx: CoordinatorContext, p: OffsetCommitParams): Promise<PartitionErrorResult[]> {
  let group = ctx.store.getGroup(p.groupId);
  if (group === undefined) {
    if (p.generationId >= 0) return partitionErrors(p.offsets, 'ILLEGAL_GENERATION');
    ctx.logger.info('creating simple consumer group via manual offset commit', { groupId: p.groupId });
    group = ctx.store.addGroup(new GroupMetadata(p.groupId, Empty, ctx.clock));
  }
  const error = validateOffsetCommit(group, p);
  if (error !== null) return partitionErrors(p.offsets, error);
  if (group.is(CompletingRebalance)) return partitionErrors(p.offsets, 'REBALANCE_IN_PROGRESS');
  if (group.is(Stable) || group.is(PreparingRebalance)) {
    const member = group.get(p.memberId);
    if (member !== undefined) ctx.rebalancer.scheduleSessionExpiration(group, member);
  }
  const now = ctx.clock.now();
  const entries: OffsetEntry[] = p.offsets.map((o) => ({
    tp: { topic: o.topic, partition: o.partition },
    value: {
      offset: o.offset,
      leaderEpoch: o.leaderEpoch,
      metadata: o.metadata ?? '',
      commitTimestamp: now,
      expireTimestamp: p.retentionTimeMs === -1 ? null : now + p.retentionTimeMs,
    },
  }));
  return partitionErrors(p.offsets, await ctx.store.storeOffsets(group, entries));
}

/** OffsetDelete after the coordinator-level checks. */
export async function doDeleteOffsets(
  ctx: CoordinatorContext,
  groupId: string,
  partitions: readonly TopicPartitionRef[],
): Promise<OffsetDeleteResult> {
  const group = ctx.store.getGroup(groupId);
  if (group === undefined || group.is(Dead)) {
    return { error: ctx.store.groupNotExists(groupId) ? 'GROUP_ID_NOT_FOUND' : 'NOT_COORDINATOR', partitions: [] };
  }
  let eligible: readonly TopicPartitionRef[];
  if (group.is(Empty)) eligible = partitions;
  else if (group.isConsumerGroup) eligible = partitions.filter((tp) => !group.isSubscribedToTopic(tp.topic));
  else return { error: 'NON_EMPTY_GROUP', partitions: [] };

  if (eligible.length > 0) {
    const removed = await ctx.store.cleanupGroupMetadata([group], (g) => g.offsets.remove(eligible));
    ctx.logger.info('deleted offsets', { groupId, removed });
  }
  const eligibleSet = new Set(eligible);
  return {
    error: 'NONE',
    partitions: partitions.map((tp) => ({
      topic: tp.topic,
      partition: tp.partition,
      error: eligibleSet.has(tp) ? 'NONE' : 'GROUP_SUBSCRIBED_TO_TOPIC',
    })),
  };
}

/** The offsets of `group` that have expired at `now` (Kafka 2.1+ rules, GroupMetadata.removeExpiredOffsets). */
export function removeExpiredOffsets(group: GroupMetadata, now: number, retentionMs: number): OffsetEntry[] {
  if (group.protocolType !== null && group.is(Empty)) {
    // No member left: retention counts from when the group became Empty (or the commit, for old records).
    const since = group.currentStateTimestamp;
    return group.offsets.expire(now, retentionMs, (v) => since ?? v.commitTimestamp);
  }
  if (group.isConsumerGroup && group.subscribedTopics !== null && group.is(Stable)) {
    // Active consumers: offsets of topics nobody subscribes to expire by commit time.
    return group.offsets.expire(now, retentionMs, (v) => v.commitTimestamp, group.subscribedTopics);
  }
  if (group.protocolType === null) return group.offsets.expire(now, retentionMs, (v) => v.commitTimestamp);
  return [];
}
