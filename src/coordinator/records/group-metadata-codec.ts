import { Writer } from '../../protocol/writer.js';
import type { Reader } from '../../protocol/reader.js';
import type { StoredGroup, StoredMember } from './coordinator-record.js';
import { GROUP_METADATA_VALUE_VERSION as V, KEY_VERSION } from './record-versions.js';
import {
  bytesField,
  decodeVersioned,
  decodeWhole,
  int64Field,
  nullableStringField,
  stringField,
} from './value-reader.js';

/** GroupMetadataKey (Version: 2) => group */
export function encodeGroupMetadataKey(groupId: string): Buffer {
  return new Writer(32).int16(KEY_VERSION.GROUP_METADATA).nullableString(groupId).toBuffer();
}

/** The group id of a GroupMetadataKey; `buf` includes the version. */
export function decodeGroupMetadataKey(buf: Buffer): string {
  return decodeWhole('group metadata key', buf, (r) => r.string());
}

/**
 * GroupMetadataValue (Version: 3) => protocol_type generation protocol leader current_state_timestamp [members]
 *   members => member_id group_instance_id client_id client_host rebalance_timeout session_timeout subscription assignment
 */
export function encodeGroupMetadataValue(group: StoredGroup): Buffer {
  const w = new Writer(256);
  w.int16(V.WITH_GROUP_INSTANCE_ID).nullableString(group.protocolType).int32(group.generationId);
  w.nullableString(group.protocolName).nullableString(group.leader).int64(group.currentStateTimestamp ?? -1);
  w.int32(group.members.length);
  for (const m of group.members) {
    w.nullableString(m.memberId).nullableString(m.groupInstanceId).nullableString(m.clientId);
    w.nullableString(m.clientHost).int32(m.rebalanceTimeoutMs).int32(m.sessionTimeoutMs);
    w.nullableBytes(m.subscription).nullableBytes(m.assignment);
  }
  return w.toBuffer();
}

/** GroupMetadataValue v0 to v4; `buf` includes the version. */
export function decodeGroupMetadataValue(buf: Buffer): StoredGroup {
  return decodeVersioned('group metadata value', buf, V.FLEXIBLE, readGroup);
}

function readGroup(r: Reader, version: number): StoredGroup {
  const flexible = version >= V.FLEXIBLE;
  const protocolType = stringField(r, flexible);
  const generationId = r.int32();
  const protocolName = nullableStringField(r, flexible);
  const leader = nullableStringField(r, flexible);
  let currentStateTimestamp: number | null = null;
  if (version >= V.WITH_STATE_TIMESTAMP) {
    const ts = int64Field(r, 'current_state_timestamp');
    currentStateTimestamp = ts === -1 ? null : ts;
  }
  const readMember = (mr: Reader): StoredMember => readMemberAt(mr, version, flexible);
  const members = flexible ? r.compactArray(readMember) : r.array(readMember);
  if (flexible) r.taggedFields();
  return { protocolType, generationId, protocolName, leader, currentStateTimestamp, members };
}

function readMemberAt(r: Reader, version: number, flexible: boolean): StoredMember {
  const memberId = stringField(r, flexible);
  const groupInstanceId = version >= V.WITH_GROUP_INSTANCE_ID ? nullableStringField(r, flexible) : null;
  const clientId = stringField(r, flexible);
  const clientHost = stringField(r, flexible);
  const rebalanceTimeout = version >= V.WITH_REBALANCE_TIMEOUT ? r.int32() : null;
  const sessionTimeoutMs = r.int32();
  const subscription = bytesField(r, flexible);
  const assignment = bytesField(r, flexible);
  if (flexible) r.taggedFields();
  return {
    memberId,
    groupInstanceId,
    clientId,
    clientHost,
    // v0 has no rebalance timeout; Kafka then uses the session timeout for both.
    rebalanceTimeoutMs: rebalanceTimeout ?? sessionTimeoutMs,
    sessionTimeoutMs,
    subscription,
    assignment,
  };
}
