import type { ErrorName } from '../../protocol/error-codes.js';
import {
  GROUP_STATE,
  type HeartbeatParams,
  type LeaveGroupParams,
  type LeaveGroupResult,
  type SyncGroupParams,
} from './group-api.js';
import { syncError, type GroupMetadata } from './group-metadata.js';
import type { SyncCallback } from './member-metadata.js';
import type { CoordinatorContext } from './coordinator-context.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GROUP_STATE;

function validateSyncGroup(group: GroupMetadata, p: SyncGroupParams): ErrorName | null {
  const memberError = group.validateMemberGeneration(p.memberId, p.groupInstanceId, p.generationId);
  if (memberError !== null) return memberError;
  if (p.protocolType !== null && p.protocolType !== group.protocolType) return 'INCONSISTENT_GROUP_PROTOCOL';
  if (p.protocolName !== null && p.protocolName !== group.protocolName) return 'INCONSISTENT_GROUP_PROTOCOL';
  return null;
}

/** SyncGroup after the coordinator-level checks (Kafka's doSyncGroup). */
export function doSyncGroup(ctx: CoordinatorContext, group: GroupMetadata, p: SyncGroupParams, respond: SyncCallback): void {
  const error = validateSyncGroup(group, p);
  const member = group.get(p.memberId);
  if (error !== null || member === undefined) {
    respond(syncError(error ?? 'UNKNOWN_MEMBER_ID'));
    return;
  }
  switch (group.state) {
    case Empty:
    case Dead:
      respond(syncError('UNKNOWN_MEMBER_ID'));
      return;
    case PreparingRebalance:
      respond(syncError('REBALANCE_IN_PROGRESS'));
      return;
    case Stable:
      ctx.rebalancer.removePendingSyncMember(group, p.memberId);
      respond({ error: 'NONE', protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
      ctx.rebalancer.scheduleSessionExpiration(group, member);
      return;
    case CompletingRebalance: {
      const previous = member.awaitingSync;
      member.awaitingSync = previous === null ? respond : (r) => (previous(r), respond(r));
      ctx.rebalancer.removePendingSyncMember(group, p.memberId);
      if (group.isLeader(p.memberId)) storeLeaderAssignment(ctx, group, p);
    }
  }
}

/** The leader's assignments (empty for members it left out) are persisted, then everyone is answered. */
function storeLeaderAssignment(ctx: CoordinatorContext, group: GroupMetadata, p: SyncGroupParams): void {
  const given = new Map(p.assignments.map((a) => [a.memberId, a.assignment] as const));
  const assignment = new Map(group.allMembers().map((m) => [m.memberId, given.get(m.memberId) ?? Buffer.alloc(0)] as const));
  ctx.logger.info('assignment received from leader', {
    groupId: group.groupId,
    generationId: group.generationId,
    members: group.size,
  });
  const generationId = group.generationId;
  ctx.store
    .storeGroup(group, assignment)
    .catch((err: unknown): ErrorName => {
      ctx.logger.error('storing group assignment failed', { groupId: group.groupId, error: String(err) });
      return 'UNKNOWN_SERVER_ERROR';
    })
    .then((error) => {
      // Another member may have joined meanwhile: only the same generation, still completing, is finished here.
      if (!group.is(CompletingRebalance) || group.generationId !== generationId) return;
      if (error !== 'NONE') {
        ctx.rebalancer.resetAndPropagateAssignmentError(group, error);
        ctx.rebalancer.maybePrepareRebalance(group, `error ${error} when storing group assignment during SyncGroup`);
      } else {
        ctx.rebalancer.setAndPropagateAssignment(group, assignment);
        group.transitionTo(Stable);
      }
    })
    .catch((err: unknown) => ctx.logger.error('completing SyncGroup failed', { groupId: group.groupId, error: String(err) }));
}

/** Heartbeat after the coordinator-level checks. */
export function doHeartbeat(ctx: CoordinatorContext, group: GroupMetadata | undefined, p: HeartbeatParams): ErrorName {
  if (group === undefined) return 'UNKNOWN_MEMBER_ID';
  const memberError = group.validateMemberGeneration(p.memberId, p.groupInstanceId, p.generationId);
  if (memberError !== null) return memberError;
  const member = group.get(p.memberId);
  if (member === undefined || group.is(Empty)) return 'UNKNOWN_MEMBER_ID';
  ctx.rebalancer.scheduleSessionExpiration(group, member);
  return group.is(PreparingRebalance) ? 'REBALANCE_IN_PROGRESS' : 'NONE';
}

/** LeaveGroup after the coordinator-level checks: per-member errors, top-level NONE. */
export function doLeaveGroup(ctx: CoordinatorContext, group: GroupMetadata | undefined, p: LeaveGroupParams): LeaveGroupResult {
  const answer = (m: LeaveGroupParams['members'][number], error: ErrorName): LeaveGroupResult['members'][number] => ({
    memberId: m.memberId,
    groupInstanceId: m.groupInstanceId,
    error,
  });
  if (group === undefined) return { error: 'NONE', members: p.members.map((m) => answer(m, 'UNKNOWN_MEMBER_ID')) };
  if (group.is(Dead)) return { error: 'COORDINATOR_NOT_AVAILABLE', members: [] };
  const removeMember = (memberId: string, reason: string | null): void => {
    const member = group.get(memberId);
    if (member === undefined) return;
    ctx.logger.info('member left group', { groupId: group.groupId, memberId, reason: reason ?? 'not provided' });
    ctx.rebalancer.removeMemberAndUpdateGroup(group, member, `removing member ${memberId} on LeaveGroup`);
  };
  const members = p.members.map((m) => {
    if (m.memberId === '') {
      // Administrative removal by group instance id.
      const current = m.groupInstanceId === null ? undefined : group.currentStaticMemberId(m.groupInstanceId);
      if (current === undefined) return answer(m, 'UNKNOWN_MEMBER_ID');
      removeMember(current, m.reason);
      return answer(m, 'NONE');
    }
    if (group.isPendingMember(m.memberId)) {
      ctx.rebalancer.removePendingMemberAndUpdateGroup(group, m.memberId);
      return answer(m, 'NONE');
    }
    const error = group.validateCurrentMember(m.memberId, m.groupInstanceId);
    if (error !== null) return answer(m, error);
    removeMember(m.memberId, m.reason);
    return answer(m, 'NONE');
  });
  return { error: 'NONE', members };
}
