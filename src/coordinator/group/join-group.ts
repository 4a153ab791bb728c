import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { GROUP_STATE, type JoinGroupParams } from './group-api.js';
import { GroupMetadata, joinError } from './group-metadata.js';
import { MemberMetadata, type JoinCallback } from './member-metadata.js';
import type { GroupStore } from './group-store.js';
import type { Rebalancer } from './rebalance.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GROUP_STATE;

export interface JoinContext {
  config: { readonly groupMaxSize: number };
  store: GroupStore;
  rebalancer: Rebalancer;
  clock: Clock;
  logger: Logger;
  newUuid: () => string;
}

/** JoinGroup after the coordinator-level checks (Kafka's handleJoinGroup body); `respond` may be called later. */
export function doJoinGroup(ctx: JoinContext, p: JoinGroupParams, respond: JoinCallback): void {
  const isUnknownMember = p.memberId === '';
  if (p.reason !== null) {
    // JoinGroup v8+ (KIP-800): why the client (re)joins, e.g. "rebalance failed due to ...".
    ctx.logger.info('member joining group with a reason', { groupId: p.groupId, memberId: p.memberId, reason: p.reason });
  }
  let group = ctx.store.getGroup(p.groupId);
  if (group === undefined) {
    if (!isUnknownMember) {
      respond(joinError(p.memberId, 'UNKNOWN_MEMBER_ID'));
      return;
    }
    group = ctx.store.addGroup(new GroupMetadata(p.groupId, Empty, ctx.clock));
  }
  if (!acceptJoiningMember(group, p.memberId, ctx.config.groupMaxSize)) {
    group.remove(p.memberId);
    respond(joinError('', 'GROUP_MAX_SIZE_REACHED'));
  } else if (isUnknownMember) {
    doNewMemberJoinGroup(ctx, group, p, respond);
  } else {
    doCurrentMemberJoinGroup(ctx, group, p, respond);
  }
  if (group.is(PreparingRebalance)) ctx.rebalancer.checkAndCompleteJoin(group);
}

function acceptJoiningMember(group: GroupMetadata, memberId: string, maxSize: number): boolean {
  switch (group.state) {
    case Empty:
    case Dead:
      return true;
    case PreparingRebalance:
      return group.get(memberId)?.isAwaitingJoin === true || group.numAwaitingJoin < maxSize;
    case CompletingRebalance:
    case Stable:
      return group.has(memberId) || group.size < maxSize;
  }
}

function newMember(p: JoinGroupParams, memberId: string): MemberMetadata {
  return new MemberMetadata({ ...p, memberId });
}

function doNewMemberJoinGroup(ctx: JoinContext, group: GroupMetadata, p: JoinGroupParams, respond: JoinCallback): void {
  if (group.is(Dead)) {
    respond(joinError('', 'COORDINATOR_NOT_AVAILABLE'));
    return;
  }
  if (!group.supportsProtocols(p.protocolType, p.protocols)) {
    respond(joinError('', 'INCONSISTENT_GROUP_PROTOCOL'));
    return;
  }
  const newMemberId = `${p.groupInstanceId ?? p.clientId}-${ctx.newUuid()}`;
  if (p.groupInstanceId !== null) {
    const oldMemberId = group.currentStaticMemberId(p.groupInstanceId);
    if (oldMemberId !== undefined) {
      ctx.logger.info('static member rejoins with a new member id', {
        groupId: group.groupId,
        groupInstanceId: p.groupInstanceId,
        oldMemberId,
        newMemberId,
      });
      updateStaticMemberAndRebalance(ctx, group, oldMemberId, newMemberId, p, respond);
      return;
    }
    ctx.rebalancer.addMemberAndRebalance(group, newMember(p, newMemberId), respond);
  } else if (p.requireKnownMemberId) {
    ctx.rebalancer.addPendingMember(group, newMemberId, p.sessionTimeoutMs);
    respond(joinError(newMemberId, 'MEMBER_ID_REQUIRED'));
  } else {
    ctx.rebalancer.addMemberAndRebalance(group, newMember(p, newMemberId), respond);
  }
}

/**
 * A known static member rejoined with member id "": its id is replaced. In Stable with an unchanged protocol choice
 * the group is persisted and the current assignment stands (no rebalance); otherwise the group rebalances.
 */
function updateStaticMemberAndRebalance(
  ctx: JoinContext,
  group: GroupMetadata,
  oldMemberId: string,
  newMemberId: string,
  p: JoinGroupParams,
  respond: JoinCallback,
): void {
  const groupInstanceId = p.groupInstanceId ?? '';
  const currentLeader = group.leaderId ?? '';
  const member = group.replaceStaticMember(groupInstanceId, oldMemberId, newMemberId);
  ctx.rebalancer.scheduleSessionExpiration(group, member);
  const old = {
    protocols: member.supportedProtocols,
    rebalanceTimeoutMs: member.rebalanceTimeoutMs,
    sessionTimeoutMs: member.sessionTimeoutMs,
  };
  group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, respond);

  if (group.is(CompletingRebalance)) {
    ctx.rebalancer.prepareRebalance(group, `updating metadata for static member ${newMemberId}`);
    return;
  }
  if (!group.is(Stable)) return;
  if (group.protocolName !== group.selectProtocol()) {
    ctx.rebalancer.maybePrepareRebalance(group, `static member ${newMemberId} changes the selected protocol`);
    return;
  }
  const assignment = new Map(group.allMembers().map((m) => [m.memberId, m.assignment] as const));
  const stored = ctx.store.storeGroup(group, assignment).then((error) => {
    if (error !== 'NONE') {
      // Revert to the old member id, unless the group moved on meanwhile.
      if (group.get(newMemberId) === member && group.currentStaticMemberId(groupInstanceId) === newMemberId) {
        group.updateMember(member, old.protocols, old.rebalanceTimeoutMs, old.sessionTimeoutMs, null);
        const oldMember = group.replaceStaticMember(groupInstanceId, newMemberId, oldMemberId);
        ctx.rebalancer.scheduleSessionExpiration(group, oldMember);
      }
      respond({ ...ctx.rebalancer.joinResult(group, '', currentLeader), error, members: [] });
      return;
    }
    if (p.supportsSkipAssignment) {
      const isLeader = group.isLeader(newMemberId);
      group.maybeInvokeJoinCallback(member, { ...ctx.rebalancer.joinResult(group, newMemberId), skipAssignment: isLeader });
    } else {
      // The old leader id is returned so that a rejoining leader does not run a pointless assignment.
      group.maybeInvokeJoinCallback(member, ctx.rebalancer.joinResult(group, newMemberId, currentLeader));
    }
  });
  stored.catch((err: unknown) => {
    ctx.logger.error('static member persistence failed', { groupId: group.groupId, error: String(err) });
    respond(joinError('', 'UNKNOWN_SERVER_ERROR'));
  });
}

function doCurrentMemberJoinGroup(
  ctx: JoinContext,
  group: GroupMetadata,
  p: JoinGroupParams,
  respond: JoinCallback,
): void {
  if (group.is(Dead)) {
    respond(joinError(p.memberId, 'COORDINATOR_NOT_AVAILABLE'));
    return;
  }
  if (!group.supportsProtocols(p.protocolType, p.protocols)) {
    respond(joinError(p.memberId, 'INCONSISTENT_GROUP_PROTOCOL'));
    return;
  }
  if (group.isPendingMember(p.memberId)) {
    if (p.groupInstanceId !== null) {
      respond(joinError(p.memberId, 'UNKNOWN_SERVER_ERROR'));
      return;
    }
    ctx.rebalancer.addMemberAndRebalance(group, newMember(p, p.memberId), respond);
    return;
  }
  const memberError = group.validateCurrentMember(p.memberId, p.groupInstanceId);
  const member = group.get(p.memberId);
  if (memberError !== null || member === undefined) {
    respond(joinError(p.memberId, memberError ?? 'UNKNOWN_MEMBER_ID'));
    return;
  }
  const updateAndRebalance = (reason: string): void => {
    // A JoinGroup already parked for this member gets the same answer as this one.
    const previous = member.awaitingJoin;
    const callback: JoinCallback = previous === null ? respond : (r) => (previous(r), respond(r));
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, callback);
    ctx.rebalancer.maybePrepareRebalance(group, reason);
  };
  switch (group.state) {
    case PreparingRebalance:
      updateAndRebalance(`member ${p.memberId} joining group during PreparingRebalance`);
      return;
    case CompletingRebalance:
      if (member.matches(p.protocols)) respond(ctx.rebalancer.joinResult(group, p.memberId));
      else updateAndRebalance(`updating metadata for member ${p.memberId} during CompletingRebalance`);
      return;
    case Stable:
      if (group.isLeader(p.memberId)) updateAndRebalance(`leader ${p.memberId} re-joining group during Stable`);
      else if (!member.matches(p.protocols)) updateAndRebalance(`updating metadata for member ${p.memberId} during Stable`);
      else respond(ctx.rebalancer.joinResult(group, p.memberId));
      return;
    case Empty:
    case Dead:
      respond(joinError(p.memberId, 'UNKNOWN_MEMBER_ID'));
  }
}
