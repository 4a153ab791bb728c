import type { Clock } from '../../util/clock.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import type { StoredGroup } from '../records/coordinator-record.js';
import { GROUP_STATE, type GroupState, type JoinGroupResult, type SyncGroupResult } from './group-api.js';
import { GroupOffsets } from './group-offsets.js';
import { MemberMetadata, type MemberProtocol } from './member-metadata.js';
import { CONSUMER_PROTOCOL_TYPE, decodeSubscriptionTopics } from './consumer-protocol.js';

const { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead } = GROUP_STATE;

const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  [Empty]: [PreparingRebalance],
  [PreparingRebalance]: [Stable, CompletingRebalance, Empty],
  [CompletingRebalance]: [PreparingRebalance],
  [Stable]: [CompletingRebalance],
  [Dead]: [Stable, PreparingRebalance, CompletingRebalance, Empty, Dead],
};

/**
 * One classic group (Kafka's GroupMetadata): state machine, members (static and pending ones), protocol votes,
 * leader, offsets and the group-level rebalance timers.
 */
export class GroupMetadata {
  readonly groupId: string;
  readonly offsets: GroupOffsets;
  readonly #clock: Clock;
  #state: GroupState;
  currentStateTimestamp: number | null;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  /** A member joined during the initial rebalance delay: the delay is extended once more. */
  newMemberAdded = false;
  /** The pending delayed join is the initial-delay kind, which only its timer completes. */
  joinIsInitial = false;
  #leaderId: string | null = null;
  readonly #members = new Map<string, MemberMetadata>();
  readonly #staticMembers = new Map<string, string>();
  /** Pending (MEMBER_ID_REQUIRED) member ids with the cancel function of their expiration. */
  readonly #pendingMembers = new Map<string, () => void>();
  readonly #pendingSyncMembers = new Set<string>();
  #subscribedTopics: ReadonlySet<string> | null = null;
  #cancelJoinTimer: (() => void) | null = null;
  #cancelSyncTimer: (() => void) | null = null;

  constructor(groupId: string, initialState: GroupState, clock: Clock, offsets = new GroupOffsets()) {
    this.groupId = groupId;
    this.offsets = offsets;
    this.#state = initialState;
    this.#clock = clock;
    this.currentStateTimestamp = clock.now();
  }

  /** Rebuilds a group from its stored record and loaded offsets: Empty without members, else Stable. */
  static fromStored(groupId: string, stored: StoredGroup, clock: Clock, offsets: GroupOffsets): GroupMetadata {
    const group = new GroupMetadata(groupId, stored.members.length === 0 ? Empty : Stable, clock, offsets);
    group.generationId = stored.generationId;
    group.protocolType = stored.protocolType === '' ? null : stored.protocolType;
    group.protocolName = stored.protocolName;
    group.#leaderId = stored.leader;
    group.currentStateTimestamp = stored.currentStateTimestamp;
    for (const m of stored.members) group.add(MemberMetadata.fromStored(m, stored.protocolType, stored.protocolName));
    group.#subscribedTopics = group.#computeSubscribedTopics();
    return group;
  }

  get state(): GroupState {
    return this.#state;
  }

  is(state: GroupState): boolean {
    return this.#state === state;
  }

  get size(): number {
    return this.#members.size;
  }

  get leaderId(): string | null {
    return this.#leaderId;
  }

  get isConsumerGroup(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  has(memberId: string): boolean {
    return this.#members.has(memberId);
  }

  get(memberId: string): MemberMetadata | undefined {
    return this.#members.get(memberId);
  }

  isLeader(memberId: string): boolean {
    return this.#leaderId === memberId;
  }

  allMembers(): MemberMetadata[] {
    return [...this.#members.values()];
  }

  get numAwaitingJoin(): number {
    return this.allMembers().filter((m) => m.isAwaitingJoin).length;
  }

  hasAllMembersJoined(): boolean {
    return this.#pendingMembers.size === 0 && this.allMembers().every((m) => m.isAwaitingJoin);
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return this.allMembers().filter((m) => !m.isAwaitingJoin);
  }

  /** The maximum rebalance timeout of the members (0 without members). */
  get rebalanceTimeoutMs(): number {
    return this.allMembers().reduce((max, m) => Math.max(max, m.rebalanceTimeoutMs), 0);
  }

  transitionTo(target: GroupState): void {
    if (!VALID_PREVIOUS_STATES[target].includes(this.#state)) {
      throw new Error(`group ${this.groupId} cannot move from ${this.#state} to ${target}`);
    }
    this.#state = target;
    this.currentStateTimestamp = this.#clock.now();
  }

  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES[PreparingRebalance].includes(this.#state);
  }

  add(member: MemberMetadata, callback: MemberMetadata['awaitingJoin'] = null): void {
    if (member.groupInstanceId !== null) this.#staticMembers.set(member.groupInstanceId, member.memberId);
    if (this.#members.size === 0) this.protocolType = member.protocolType;
    this.#leaderId ??= member.memberId;
    this.#members.set(member.memberId, member);
    member.awaitingJoin = callback;
    this.removePendingMember(member.memberId);
  }

  /** Removes a member (its timer is cancelled); a new leader is picked if it led. */
  remove(memberId: string): void {
    const member = this.#members.get(memberId);
    if (member !== undefined) {
      member.cancelExpiration();
      this.#members.delete(memberId);
      if (member.groupInstanceId !== null) this.#staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.#leaderId = this.#members.keys().next().value ?? null;
    this.removePendingMember(memberId);
    this.#pendingSyncMembers.delete(memberId);
  }

  /** Makes the leader a member that rejoined if the current one did not; false when nobody rejoined. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.#leaderId === null) return false;
    if (this.#members.get(this.#leaderId)?.isAwaitingJoin === true) return true;
    const joined = this.allMembers().find((m) => m.isAwaitingJoin);
    if (joined === undefined) return false;
    this.#leaderId = joined.memberId;
    return true;
  }

  /** A static member rejoined with a new member id: parked requests of the old id are fenced. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): MemberMetadata {
    const member = this.#members.get(oldMemberId);
    if (member === undefined) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    this.#members.delete(oldMemberId);
    this.maybeInvokeJoinCallback(member, joinError(oldMemberId, 'FENCED_INSTANCE_ID'));
    this.maybeInvokeSyncCallback(member, syncError('FENCED_INSTANCE_ID'));
    member.memberId = newMemberId;
    this.#members.set(newMemberId, member);
    if (this.#leaderId === oldMemberId) this.#leaderId = newMemberId;
    this.#staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.#staticMembers.get(groupInstanceId);
  }

  /** Kafka's validateCurrentMember: a given instance id must map to memberId; the member must exist. */
  validateCurrentMember(memberId: string, groupInstanceId: string | null): ErrorName | null {
    if (groupInstanceId !== null) {
      const current = this.#staticMembers.get(groupInstanceId);
      if (current === undefined) return 'UNKNOWN_MEMBER_ID';
      if (current !== memberId) return 'FENCED_INSTANCE_ID';
      return null;
    }
    return this.#members.has(memberId) ? null : 'UNKNOWN_MEMBER_ID';
  }

  /**
   * The checks SyncGroup, Heartbeat and member OffsetCommits share: a Dead group is COORDINATOR_NOT_AVAILABLE, then
   * validateCurrentMember, then the generation must be the group's (ILLEGAL_GENERATION).
   */
  validateMemberGeneration(memberId: string, groupInstanceId: string | null, generationId: number): ErrorName | null {
    if (this.is(Dead)) return 'COORDINATOR_NOT_AVAILABLE';
    const memberError = this.validateCurrentMember(memberId, groupInstanceId);
    if (memberError !== null) return memberError;
    return generationId === this.generationId ? null : 'ILLEGAL_GENERATION';
  }

  isPendingMember(memberId: string): boolean {
    return this.#pendingMembers.has(memberId);
  }

  addPendingMember(memberId: string, cancelExpiration: () => void): void {
    this.#pendingMembers.set(memberId, cancelExpiration);
  }

  removePendingMember(memberId: string): void {
    this.#pendingMembers.get(memberId)?.();
    this.#pendingMembers.delete(memberId);
  }

  addPendingSyncMember(memberId: string): void {
    this.#pendingSyncMembers.add(memberId);
  }

  removePendingSyncMember(memberId: string): void {
    this.#pendingSyncMembers.delete(memberId);
  }

  pendingSyncMembers(): string[] {
    return [...this.#pendingSyncMembers];
  }

  clearPendingSyncMembers(): void {
    this.#pendingSyncMembers.clear();
  }

  /** The delayed join (initial delay or rebalance timeout) of the current rebalance. */
  setJoinTimer(cancel: (() => void) | null): void {
    this.#cancelJoinTimer?.();
    this.#cancelJoinTimer = cancel;
  }

  get hasJoinTimer(): boolean {
    return this.#cancelJoinTimer !== null;
  }

  /** The pending-sync expiration of the current generation. */
  setSyncTimer(cancel: (() => void) | null): void {
    this.#cancelSyncTimer?.();
    this.#cancelSyncTimer = cancel;
  }

  /** Cancels every timer of the group and its members (unload, deletion, shutdown). */
  cancelTimers(): void {
    this.setJoinTimer(null);
    this.setSyncTimer(null);
    for (const m of this.#members.values()) m.cancelExpiration();
    for (const cancel of this.#pendingMembers.values()) cancel();
  }

  #supportCount(protocol: string): number {
    return this.allMembers().filter((m) => m.supportedProtocols.some((p) => p.name === protocol)).length;
  }

  /** Protocols every member supports. */
  candidateProtocols(): Set<string> {
    const first = this.allMembers()[0];
    if (first === undefined) return new Set();
    return new Set(first.supportedProtocols.map((p) => p.name).filter((n) => this.#supportCount(n) === this.size));
  }

  /** An Empty group accepts any non-empty set; otherwise the type must match and one protocol be supported by all. */
  supportsProtocols(protocolType: string, protocols: readonly MemberProtocol[]): boolean {
    if (this.is(Empty)) return protocolType !== '' && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((p) => this.#supportCount(p.name) === this.size);
  }

  /** Each member votes for its first choice among the candidates; most votes wins (ties: first voted). */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.allMembers()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = 0;
    for (const [name, n] of votes) {
      if (n > bestVotes) [best, bestVotes] = [name, n];
    }
    if (best === null) throw new Error(`cannot select a protocol for empty group ${this.groupId}`);
    return best;
  }

  updateMember(
    member: MemberMetadata,
    protocols: readonly MemberProtocol[],
    rebalanceTimeoutMs: number,
    sessionTimeoutMs: number,
    callback: MemberMetadata['awaitingJoin'],
  ): void {
    member.supportedProtocols = protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    member.awaitingJoin = callback;
  }

  maybeInvokeJoinCallback(member: MemberMetadata, result: JoinGroupResult): void {
    const cb = member.awaitingJoin;
    if (cb === null) return;
    member.awaitingJoin = null;
    cb(result);
  }

  /** True when a parked SyncGroup was answered. */
  maybeInvokeSyncCallback(member: MemberMetadata, result: SyncGroupResult): boolean {
    const cb = member.awaitingSync;
    if (cb === null) return false;
    member.awaitingSync = null;
    cb(result);
    return true;
  }

  initNextGeneration(): void {
    this.generationId += 1;
    this.protocolName = this.size > 0 ? this.selectProtocol() : null;
    this.#subscribedTopics = this.#computeSubscribedTopics();
    this.transitionTo(this.size > 0 ? CompletingRebalance : Empty);
    this.clearPendingSyncMembers();
  }

  /** JoinGroup's member list for the leader: every member with its metadata for the chosen protocol. */
  currentMemberMetadata(): JoinGroupResult['members'] {
    const protocol = this.protocolName ?? '';
    return this.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  /** True unless the consumer group knows its subscriptions and none includes `topic`. */
  isSubscribedToTopic(topic: string): boolean {
    return this.#subscribedTopics === null || this.#subscribedTopics.has(topic);
  }

  get subscribedTopics(): ReadonlySet<string> | null {
    return this.#subscribedTopics;
  }

  #computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const m of this.allMembers()) {
      const decoded = decodeSubscriptionTopics(m.metadata(this.protocolName));
      if (decoded === null) return null;
      for (const t of decoded) topics.add(t);
    }
    return topics;
  }

  /** GroupMetadataValue v3 for this group with the given assignments. */
  toStored(assignment: ReadonlyMap<string, Buffer>): StoredGroup {
    const protocol = this.protocolName ?? '';
    return {
      protocolType: this.protocolType ?? '',
      generationId: this.generationId,
      protocolName: this.protocolName,
      leader: this.#leaderId,
      currentStateTimestamp: this.currentStateTimestamp,
      members: this.allMembers().map((m) => m.toStored(protocol, assignment.get(m.memberId) ?? Buffer.alloc(0))),
    };
  }
}

/** JoinGroup's answer on an error: generation -1, no protocol, no leader, no members. */
export function joinError(memberId: string, error: ErrorName): JoinGroupResult {
  return {
    error,
    generationId: -1,
    protocolType: null,
    protocolName: null,
    leader: '',
    skipAssignment: false,
    memberId,
    members: [],
  };
}

export function syncError(error: ErrorName): SyncGroupResult {
  return { error, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}
