import type { CoordinatorRecord } from './coordinator-record.js';
import {
  decodeGroupMetadataKey,
  decodeGroupMetadataValue,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
} from './group-metadata-codec.js';
import {
  decodeOffsetCommitKey,
  decodeOffsetCommitValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from './offset-commit-codec.js';
import { KEY_VERSION } from './record-versions.js';
import { readVersion } from './value-reader.js';

/** The key and value Kafka writes for a record: offset key v1 / value v3 (v1 with an expire time), group key v2 / value v3. */
export function encodeCoordinatorRecord(rec: CoordinatorRecord): { key: Buffer; value: Buffer | null } {
  if (rec.type === 'offset') {
    return {
      key: encodeOffsetCommitKey(rec),
      value: rec.value === null ? null : encodeOffsetCommitValue(rec.value),
    };
  }
  return {
    key: encodeGroupMetadataKey(rec.groupId),
    value: rec.value === null ? null : encodeGroupMetadataValue(rec.value),
  };
}

/**
 * Decodes a `__consumer_offsets` record; a null value is a tombstone. A key version this broker does not know
 * (a newer Kafka's record kinds, e.g. KIP-848 consumer group records) gives null: Kafka 3.5+ skips those with a
 * warning rather than failing the load. Garbage under a known version throws CoordinatorRecordError.
 */
export function decodeCoordinatorRecord(key: Buffer, value: Buffer | null): CoordinatorRecord | null {
  const version = readVersion('key', key);
  switch (version) {
    case KEY_VERSION.OFFSET_COMMIT_V0:
    case KEY_VERSION.OFFSET_COMMIT: {
      const { groupId, topic, partition } = decodeOffsetCommitKey(key);
      return { type: 'offset', groupId, topic, partition, value: value === null ? null : decodeOffsetCommitValue(value) };
    }
    case KEY_VERSION.GROUP_METADATA: {
      const groupId = decodeGroupMetadataKey(key);
      return { type: 'group', groupId, value: value === null ? null : decodeGroupMetadataValue(value) };
    }
    default:
      return null;
  }
}
