/**
 * Schema versions of the `__consumer_offsets` keys and values (apache/kafka `OffsetCommitKey`, `OffsetCommitValue`,
 * `GroupMetadataKey`, `GroupMetadataValue`). The key version also tells which kind of record it is.
 */
export const KEY_VERSION = {
  /** OffsetCommitKey as written before Kafka 0.10; same layout as v1. */
  OFFSET_COMMIT_V0: 0,
  /** OffsetCommitKey as Kafka writes it. */
  OFFSET_COMMIT: 1,
  GROUP_METADATA: 2,
} as const;

export const OFFSET_COMMIT_VALUE_VERSION = {
  /** offset, metadata, commit_timestamp. */
  V0: 0,
  /** v0 + expire_timestamp: written when the commit carried an explicit retention time. */
  WITH_EXPIRE_TIMESTAMP: 1,
  /** Same fields as v0. */
  V2: 2,
  /** offset, leader_epoch, metadata, commit_timestamp: what Kafka 2.1+ writes. */
  WITH_LEADER_EPOCH: 3,
  /** v3, flexible (compact strings, tagged fields); readable since Kafka 3.5. */
  FLEXIBLE: 4,
} as const;

export const GROUP_METADATA_VALUE_VERSION = {
  V0: 0,
  /** Members add rebalance_timeout. */
  WITH_REBALANCE_TIMEOUT: 1,
  /** Adds current_state_timestamp after leader. */
  WITH_STATE_TIMESTAMP: 2,
  /** Members add group_instance_id after member_id: what Kafka 2.3+ writes. */
  WITH_GROUP_INSTANCE_ID: 3,
  /** v3, flexible; readable since Kafka 3.5. */
  FLEXIBLE: 4,
} as const;
