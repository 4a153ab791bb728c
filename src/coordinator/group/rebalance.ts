import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import { GROUP_STATE, type JoinGroupResult } from './group-api.js';
import { joinError, syncError, type GroupMetadata } from './group-metadata.js';
import type { MemberMetadata } from './member-metadata.js';
import type { GroupStore } from './group-store.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GROUP_STATE;

/** A new member's JoinGroup is given up after 5 minutes (Kafka's NewMemberJoinTimeoutMs). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface RebalanceConfig {
  groupInitialRebalanceDelayMs: number;
  groupMaxSize: number;
}

/**
 * The timed part of the classic protocol (Kafka's DelayedJoin, InitialDelayedJoin, DelayedSync, DelayedHeartbeat
 * and the GroupCoordinator methods around them): preparing and completing rebalances, propagating assignments and
 * expiring members.
 */
export class Rebalancer {
  readonly #config: RebalanceConfig;
  readonly #store: GroupStore;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(config: RebalanceConfig, store: GroupStore, clock: Clock, logger: Logger) {
    this.#config = config;
    this.#store = store;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Restarts the member's session timer (a heartbeat, a commit, a completed join or sync). */
  scheduleSessionExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs = member.sessionTimeoutMs): void {
    const memberId = member.memberId;
    member.setExpiration(this.#clock.schedule(timeoutMs, () => this.#onExpireHeartbeat(group, memberId)));
  }

  addPendingMember(group: GroupMetadata, memberId: string, sessionTimeoutMs: number): void {
    const cancel = this.#clock.schedule(sessionTimeoutMs, () => {
      if (group.is(Dead) || !group.isPendingMember(memberId)) return;
      this.#logger.info('pending member expired', { groupId: group.groupId, memberId });
      this.removePendingMemberAndUpdateGroup(group, memberId);
    });
    group.addPendingMember(memberId, cancel);
  }

  #onExpireHeartbeat(group: GroupMetadata, memberId: string): void {
    if (group.is(Dead)) return;
    const member = group.get(memberId);
    if (member === undefined) return;
    // Members parked in a rebalance satisfy their heartbeat, unless they are new (5-minute join timeout).
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.#logger.info('member session expired', { groupId: group.groupId, memberId });
    this.removeMemberAndUpdateGroup(group, member, `removing member ${memberId} on heartbeat expiration`);
  }

  addMemberAndRebalance(group: GroupMetadata, member: MemberMetadata, callback: (r: JoinGroupResult) => void): void {
    member.isNew = true;
    if (group.is(PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, callback);
    this.scheduleSessionExpiration(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group, `adding new member ${member.memberId}`);
  }

  maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  prepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.is(CompletingRebalance)) this.resetAndPropagateAssignmentError(group, 'REBALANCE_IN_PROGRESS');
    this.#removeSyncExpiration(group);
    const initial = group.is(Empty);
    group.transitionTo(PreparingRebalance);
    this.#logger.info('preparing to rebalance group', {
      groupId: group.groupId,
      generationId: group.generationId,
      reason,
    });
    if (initial) {
      const delay = this.#config.groupInitialRebalanceDelayMs;
      this.#scheduleInitialDelayedJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.#scheduleDelayedJoin(group);
    }
  }

  /** InitialDelayedJoin: never completes early; at expiry extends once more per new joiner while time remains. */
  #scheduleInitialDelayedJoin(group: GroupMetadata, delayMs: number, remainingMs: number): void {
    group.setJoinTimer(
      this.#clock.schedule(delayMs, () => {
        group.setJoinTimer(null);
        if (group.newMemberAdded && remainingMs !== 0) {
          group.newMemberAdded = false;
          const delay = Math.min(this.#config.groupInitialRebalanceDelayMs, remainingMs);
          this.#scheduleInitialDelayedJoin(group, delay, Math.max(remainingMs - delayMs, 0));
        } else {
          this.#onCompleteJoin(group);
        }
      }),
    );
    group.joinIsInitial = true;
  }

  /** DelayedJoin: completes when every known member rejoined, or at the rebalance timeout. */
  #scheduleDelayedJoin(group: GroupMetadata): void {
    group.joinIsInitial = false;
    group.setJoinTimer(
      this.#clock.schedule(group.rebalanceTimeoutMs, () => {
        group.setJoinTimer(null);
        this.#onCompleteJoin(group);
      }),
    );
    this.checkAndCompleteJoin(group);
  }

  /** Kafka's joinPurgatory.checkAndComplete: completes the pending DelayedJoin if everyone has joined. */
  checkAndCompleteJoin(group: GroupMetadata): void {
    if (!group.is(PreparingRebalance) || group.joinIsInitial || !group.hasJoinTimer) return;
    if (!group.hasAllMembersJoined()) return;
    group.setJoinTimer(null);
    this.#onCompleteJoin(group);
  }

  #onCompleteJoin(group: GroupMetadata): void {
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStaticMember) continue;
      this.#logger.info('removing member that did not rejoin', { groupId: group.groupId, memberId: member.memberId });
      this.#removeMemberAnsweringSync(group, member);
    }
    if (group.is(Dead)) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      this.#logger.error('no member rejoined; waiting another rebalance timeout', { groupId: group.groupId });
      this.#scheduleDelayedJoin(group);
      return;
    }
    group.initNextGeneration();
    if (group.is(Empty)) {
      this.#logger.info('group is now empty', { groupId: group.groupId, generationId: group.generationId });
      this.#storeInBackground(group, new Map(), 'empty group metadata');
      return;
    }
    this.#logger.info('stabilized group', {
      groupId: group.groupId,
      generationId: group.generationId,
      members: group.size,
    });
    for (const member of group.allMembers()) {
      group.maybeInvokeJoinCallback(member, this.joinResult(group, member.memberId));
      this.scheduleSessionExpiration(group, member);
      member.isNew = false;
      group.addPendingSyncMember(member.memberId);
    }
    this.#schedulePendingSync(group);
  }

  /** The JoinGroup answer for the current generation; only the leader gets the members. */
  joinResult(group: GroupMetadata, memberId: string, leader = group.leaderId ?? ''): JoinGroupResult {
    return {
      error: 'NONE',
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leader,
      skipAssignment: false,
      memberId,
      members: group.isLeader(memberId) && leader === group.leaderId ? group.currentMemberMetadata() : [],
    };
  }

  /** Writes the group record without anyone waiting on it; a failure is only logged, as in Kafka. */
  #storeInBackground(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>, what: string): void {
    this.#store
      .storeGroup(group, assignment)
      .then((error) => {
        if (error !== 'NONE') this.#logger.warn(`failed to write ${what}`, { groupId: group.groupId, error });
      })
      .catch((err: unknown) => this.#logger.error(`failed to write ${what}`, { groupId: group.groupId, error: String(err) }));
  }

  #schedulePendingSync(group: GroupMetadata): void {
    const generationId = group.generationId;
    group.setSyncTimer(
      this.#clock.schedule(group.rebalanceTimeoutMs, () => {
        group.setSyncTimer(null);
        if (generationId !== group.generationId) return;
        if (!group.is(CompletingRebalance) && !group.is(Stable)) return;
        const pending = group.pendingSyncMembers();
        if (pending.length === 0) return;
        for (const memberId of pending) {
          const member = group.get(memberId);
          if (member !== undefined) this.#removeMemberAnsweringSync(group, member);
        }
        this.prepareRebalance(group, `removing ${pending.join(', ')} on pending sync request expiration`);
      }),
    );
  }

  removePendingSyncMember(group: GroupMetadata, memberId: string): void {
    group.removePendingSyncMember(memberId);
    if (group.pendingSyncMembers().length === 0) group.setSyncTimer(null);
  }

  #removeSyncExpiration(group: GroupMetadata): void {
    group.clearPendingSyncMembers();
    group.setSyncTimer(null);
  }

  /**
   * Removes a member (leave, session expiry): its parked JoinGroup gets UNKNOWN_MEMBER_ID, then a Stable or
   * CompletingRebalance group rebalances and a PreparingRebalance group may complete its join.
   */
  removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, reason: string): void {
    group.maybeInvokeJoinCallback(member, joinError('', 'UNKNOWN_MEMBER_ID'));
    this.#removeMemberAnsweringSync(group, member);
    if (group.is(Stable) || group.is(CompletingRebalance)) this.maybePrepareRebalance(group, reason);
    else if (group.is(PreparingRebalance)) this.checkAndCompleteJoin(group);
  }

  /** Removes a member; a SyncGroup it still had parked is answered UNKNOWN_MEMBER_ID instead of hanging. */
  #removeMemberAnsweringSync(group: GroupMetadata, member: MemberMetadata): void {
    group.remove(member.memberId);
    group.maybeInvokeSyncCallback(member, syncError('UNKNOWN_MEMBER_ID'));
  }

  removePendingMemberAndUpdateGroup(group: GroupMetadata, memberId: string): void {
    group.remove(memberId);
    if (group.is(PreparingRebalance)) this.checkAndCompleteJoin(group);
  }

  setAndPropagateAssignment(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): void {
    for (const member of group.allMembers()) member.assignment = assignment.get(member.memberId) ?? Buffer.alloc(0);
    this.#propagateAssignment(group, 'NONE');
  }

  resetAndPropagateAssignmentError(group: GroupMetadata, error: ErrorName): void {
    for (const member of group.allMembers()) member.assignment = Buffer.alloc(0);
    this.#propagateAssignment(group, error);
  }

  #propagateAssignment(group: GroupMetadata, error: ErrorName): void {
    const ok = error === 'NONE';
    for (const member of group.allMembers()) {
      const answered = group.maybeInvokeSyncCallback(member, {
        error,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      if (answered) this.scheduleSessionExpiration(group, member);
    }
  }

  /** A freshly loaded group: members' session timers start; an over-capacity group rebalances. */
  onGroupLoaded(group: GroupMetadata): void {
    if (group.size > this.#config.groupMaxSize) {
      this.prepareRebalance(group, `freshly-loaded group is over capacity (${this.#config.groupMaxSize})`);
    }
    for (const member of group.allMembers()) this.scheduleSessionExpiration(group, member);
  }

  /** The group's partition moved away (or the coordinator stops): parked requests get NOT_COORDINATOR. */
  onGroupUnloaded(group: GroupMetadata): void {
    group.cancelTimers();
    if (!group.is(Dead)) group.transitionTo(Dead);
    for (const member of group.allMembers()) {
      group.maybeInvokeJoinCallback(member, joinError(member.memberId, 'NOT_COORDINATOR'));
      group.maybeInvokeSyncCallback(member, syncError('NOT_COORDINATOR'));
    }
    group.clearPendingSyncMembers();
  }
}
