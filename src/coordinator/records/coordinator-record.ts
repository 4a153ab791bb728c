/**
 * What the group coordinator keeps in `__consumer_offsets`, as domain values. The binary key/value formats
 * (offset commit key v1 / value v3 or v1, group metadata key v2 / value v3) live in the codec beside this file.
 */

/** A committed offset (OffsetCommitValue). */
export interface OffsetAndMetadata {
  offset: number;
  /** -1 when the committer did not say. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  /** Only set when the commit carried an explicit retention time (written as value v1); otherwise null (value v3). */
  expireTimestamp: number | null;
}

/** One member as stored in GroupMetadataValue v3. */
export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the chosen protocol (raw bytes, opaque to the broker). */
  subscription: Buffer;
  assignment: Buffer;
}

/** GroupMetadataValue v3. */
export interface StoredGroup {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leader: string | null;
  currentStateTimestamp: number | null;
  members: StoredMember[];
}

/** A record of `__consumer_offsets`; `value: null` is a tombstone. */
export type CoordinatorRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; value: OffsetAndMetadata | null }
  | { type: 'group'; groupId: string; value: StoredGroup | null };

/** A `__consumer_offsets` record as the log holds it: key and value bytes, not decoded yet (`value: null` is a tombstone). */
export interface RawCoordinatorRecord {
  key: Buffer;
  value: Buffer | null;
}
