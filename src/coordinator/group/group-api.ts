import type { ErrorName } from '../../protocol/error-codes.js';

/**
 * The group coordinator's requests and answers as domain values, independent of API versions. Handlers translate
 * each Kafka API version to and from these; the coordinator never sees the wire format.
 */

export interface JoinGroupParams {
  groupId: string;
  /** "" for a new member. */
  memberId: string;
  groupInstanceId: string | null;
  /** JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED with its id. */
  requireKnownMemberId: boolean;
  /** JoinGroup v9+: the leader of a static group that rejoins without a rebalance gets skipAssignment. */
  supportsSkipAssignment: boolean;
  clientId: string;
  clientHost: string;
  /** JoinGroup v0 has none: the handler passes sessionTimeoutMs. */
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: readonly { name: string; metadata: Buffer }[];
  reason: string | null;
}

export interface JoinGroupResult {
  error: ErrorName;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Filled for the leader only: every member with its metadata for the chosen protocol. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncGroupParams {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+ (null before): checked against the group's. */
  protocolType: string | null;
  protocolName: string | null;
  assignments: readonly { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResult {
  error: ErrorName;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatParams {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupParams {
  groupId: string;
  /** v0-2 carry one member (groupInstanceId null); v3+ a batch. */
  members: readonly { memberId: string; groupInstanceId: string | null; reason: string | null }[];
}

export interface LeaveGroupResult {
  error: ErrorName;
  members: { memberId: string; groupInstanceId: string | null; error: ErrorName }[];
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface OffsetCommitParams {
  groupId: string;
  /** -1 for a simple (admin / standalone) commit. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** OffsetCommit v2-4; -1 means the broker's offsets.retention.minutes. */
  retentionTimeMs: number;
  offsets: readonly (TopicPartitionRef & { offset: number; leaderEpoch: number; metadata: string | null })[];
}

export interface PartitionErrorResult extends TopicPartitionRef {
  error: ErrorName;
}

export interface OffsetFetchParams {
  groupId: string;
  /** null = every partition the group has committed. */
  partitions: readonly TopicPartitionRef[] | null;
  requireStable: boolean;
}

export interface OffsetFetchResult {
  /** Group-level error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...); NONE otherwise. */
  error: ErrorName;
  partitions: (TopicPartitionRef & { offset: number; leaderEpoch: number; metadata: string; error: ErrorName })[];
}

export interface OffsetDeleteResult {
  error: ErrorName;
  partitions: PartitionErrorResult[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** Kafka's state names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
  state: string;
}

export interface DescribedGroup {
  error: ErrorName;
  groupId: string;
  state: string;
  protocolType: string;
  /** The chosen protocol name ("" when none). */
  protocolData: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    /** The member's metadata for the chosen protocol, only when Stable (empty otherwise). */
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

/** Kafka's group state names, as DescribeGroups and ListGroups spell them. */
export const GROUP_STATE = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const;
export type GroupState = (typeof GROUP_STATE)[keyof typeof GROUP_STATE];
