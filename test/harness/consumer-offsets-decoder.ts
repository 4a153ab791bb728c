/**
 * Decodes `__consumer_offsets` records from the published schemas (apache/kafka OffsetCommitKey, OffsetCommitValue,
 * GroupMetadataKey, GroupMetadataValue, ConsumerProtocolSubscription and ConsumerProtocolAssignment JSON files),
 * independently of the broker's own codec. Every decoder demands that the bytes end exactly where the schema does.
 */
import { WireReader } from './wire.js';

export const OFFSETS_TOPIC = '__consumer_offsets';

/** Key versions 0 and 1: an offset commit. */
export interface OffsetCommitKey {
  readonly kind: 'offset';
  readonly version: number;
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
}

/** Key version 2: group metadata. */
export interface GroupMetadataKey {
  readonly kind: 'group';
  readonly version: number;
  readonly group: string;
}

export type OffsetsKey = OffsetCommitKey | GroupMetadataKey;

export interface OffsetCommitValue {
  readonly version: number;
  readonly offset: number;
  /** -1 when the version has no leader epoch (v0-v2) or none was committed. */
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** Only version 1 carries it; -1 otherwise. */
  readonly expireTimestamp: number;
}

export interface GroupMemberMetadata {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** -1 for version 0. */
  readonly rebalanceTimeout: number;
  readonly sessionTimeout: number;
  readonly subscription: Buffer;
  readonly assignment: Buffer;
}

export interface GroupMetadataValue {
  readonly version: number;
  readonly protocolType: string;
  readonly generation: number;
  readonly protocol: string | null;
  readonly leader: string | null;
  /** -1 before version 2. */
  readonly currentStateTimestamp: number;
  readonly members: readonly GroupMemberMetadata[];
}

export interface TopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/** ConsumerProtocolSubscription (JoinGroup protocol metadata of a "consumer" group). */
export interface ConsumerSubscription {
  readonly version: number;
  readonly topics: readonly string[];
  readonly userData: Buffer | null;
  readonly ownedPartitions: readonly TopicPartitions[];
  readonly generationId: number;
  readonly rackId: string | null;
}

/** ConsumerProtocolAssignment (SyncGroup assignment of a "consumer" group). */
export interface ConsumerAssignment {
  readonly version: number;
  readonly assignedPartitions: readonly TopicPartitions[];
  readonly userData: Buffer | null;
}

export type DecodedOffsetsRecord =
  | { readonly key: OffsetCommitKey; readonly value: OffsetCommitValue | null }
  | { readonly key: GroupMetadataKey; readonly value: GroupMetadataValue | null };

function requiredString(r: WireReader, field: string): string {
  const s = r.string();
  if (s === null) throw new Error(`${field} is null but the schema does not allow it`);
  return s;
}

function requiredBytes(r: WireReader, field: string): Buffer {
  const b = r.bytes();
  if (b === null) throw new Error(`${field} is null but the schema does not allow it`);
  return Buffer.from(b);
}

function finish<T>(r: WireReader, what: string, value: T): T {
  if (r.remaining !== 0) throw new Error(`${what}: ${r.remaining} bytes left after the last field`);
  return value;
}

function topicPartitions(r: WireReader): TopicPartitions {
  const topic = requiredString(r, 'topic');
  return { topic, partitions: r.array((pr) => pr.int32()) };
}

/** A `__consumer_offsets` key: version 0/1 offset commit, version 2 group metadata; anything else throws. */
export function decodeOffsetsKey(buf: Buffer): OffsetsKey {
  const r = new WireReader(buf);
  const version = r.int16();
  if (version === 0 || version === 1) {
    const group = requiredString(r, 'group');
    const topic = requiredString(r, 'topic');
    const partition = r.int32();
    return finish(r, `offset commit key v${version}`, { kind: 'offset', version, group, topic, partition });
  }
  if (version === 2) {
    return finish(r, 'group metadata key v2', { kind: 'group', version, group: requiredString(r, 'group') });
  }
  throw new Error(`unknown __consumer_offsets key version ${version}`);
}

/** OffsetCommitValue versions 0-3 (v1 adds expire_timestamp, v3 leader_epoch). */
export function decodeOffsetCommitValue(buf: Buffer): OffsetCommitValue {
  const r = new WireReader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new Error(`unsupported offset commit value version ${version}`);
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = requiredString(r, 'metadata');
  const commitTimestamp = r.int64();
  const expireTimestamp = version === 1 ? r.int64() : -1;
  return finish(r, `offset commit value v${version}`, { version, offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp });
}

function memberMetadata(r: WireReader, version: number): GroupMemberMetadata {
  const memberId = requiredString(r, 'member_id');
  const groupInstanceId = version >= 3 ? r.string() : null;
  const clientId = requiredString(r, 'client_id');
  const clientHost = requiredString(r, 'client_host');
  const rebalanceTimeout = version >= 1 ? r.int32() : -1;
  const sessionTimeout = r.int32();
  const subscription = requiredBytes(r, 'subscription');
  const assignment = requiredBytes(r, 'assignment');
  return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout, subscription, assignment };
}

/** GroupMetadataValue versions 0-3. */
export function decodeGroupMetadataValue(buf: Buffer): GroupMetadataValue {
  const r = new WireReader(buf);
  const version = r.int16();
  if (version < 0 || version > 3) throw new Error(`unsupported group metadata value version ${version}`);
  const protocolType = requiredString(r, 'protocol_type');
  const generation = r.int32();
  const protocol = r.string();
  const leader = r.string();
  const currentStateTimestamp = version >= 2 ? r.int64() : -1;
  const members = r.array((mr) => memberMetadata(mr, version));
  return finish(r, `group metadata value v${version}`, {
    version,
    protocolType,
    generation,
    protocol,
    leader,
    currentStateTimestamp,
    members,
  });
}

/** One record of `__consumer_offsets`; a null value is a tombstone. */
export function decodeOffsetsRecord(key: Buffer, value: Buffer | null): DecodedOffsetsRecord {
  const k = decodeOffsetsKey(key);
  if (k.kind === 'offset') return { key: k, value: value === null ? null : decodeOffsetCommitValue(value) };
  return { key: k, value: value === null ? null : decodeGroupMetadataValue(value) };
}

/**
 * ConsumerProtocolSubscription: version, topics, user_data; v1 adds owned_partitions, v2 generation_id, v3 rack_id.
 * A version newer than 3 is read with the v3 layout, as Kafka's clients do.
 */
export function decodeConsumerSubscription(buf: Buffer): ConsumerSubscription {
  const r = new WireReader(buf);
  const version = r.int16();
  if (version < 0) throw new Error(`negative subscription version ${version}`);
  const topics = r.array((tr) => requiredString(tr, 'topic'));
  const userData = r.bytes();
  const ownedPartitions = version >= 1 ? r.array(topicPartitions) : [];
  const generationId = version >= 2 ? r.int32() : -1;
  const rackId = version >= 3 ? r.string() : null;
  const value = { version, topics, userData: userData === null ? null : Buffer.from(userData), ownedPartitions, generationId, rackId };
  return version > 3 ? value : finish(r, `consumer subscription v${version}`, value);
}

/** ConsumerProtocolAssignment: version, [topic, [partition]], user_data. */
export function decodeConsumerAssignment(buf: Buffer): ConsumerAssignment {
  const r = new WireReader(buf);
  const version = r.int16();
  if (version < 0) throw new Error(`negative assignment version ${version}`);
  const assignedPartitions = r.array(topicPartitions);
  const userData = r.bytes();
  const value = { version, assignedPartitions, userData: userData === null ? null : Buffer.from(userData) };
  return version > 3 ? value : finish(r, `consumer assignment v${version}`, value);
}

/** The partitions of `topic` in an assignment, sorted. */
export function assignedPartitionsOf(assignment: ConsumerAssignment, topic: string): number[] {
  return assignment.assignedPartitions
    .filter((tp) => tp.topic === topic)
    .flatMap((tp) => [...tp.partitions])
    .sort((a, b) => a - b);
}

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** The `__consumer_offsets` partition of a group: abs(hashCode) % partitions, with abs(MIN_VALUE) taken as 0. */
export function offsetsPartitionFor(groupId: string, partitions: number): number {
  const h = javaStringHashCode(groupId);
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % partitions;
}
