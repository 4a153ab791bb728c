import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeGroupMetadataKey,
  decodeGroupMetadataValue,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
} from '../../../src/coordinator/records/group-metadata-codec.js';
import type { StoredGroup, StoredMember } from '../../../src/coordinator/records/coordinator-record.js';
import { CoordinatorRecordError } from '../../../src/coordinator/records/coordinator-record-error.js';
import { cat, cstr, i16, i32, i64, str } from '../../protocol/bytes.js';

const NULL_STRING = i16(-1);
const bytes = (b: Buffer): Buffer => cat(i32(b.length), b);
const cbytes = (b: Buffer): Buffer => cat(Buffer.from([b.length + 1]), b);
const NO_TAGS = Buffer.from([0]);

const sub = Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x74, 0xff, 0xff, 0xff, 0xff]);
const assign = Buffer.from([0, 0, 0, 0, 0, 0]);

const member: StoredMember = {
  memberId: 'consumer-1-abc',
  groupInstanceId: 'static-1',
  clientId: 'consumer-1',
  clientHost: '/10.0.0.5',
  rebalanceTimeoutMs: 300000,
  sessionTimeoutMs: 10000,
  subscription: sub,
  assignment: assign,
};
const group: StoredGroup = {
  protocolType: 'consumer',
  generationId: 4,
  protocolName: 'range',
  leader: 'consumer-1-abc',
  currentStateTimestamp: 1700000000000,
  members: [member],
};

/** Hand-written v1..v3 member bytes. */
function memberBytes(version: number, m: StoredMember): Buffer {
  return cat(
    str(m.memberId),
    version >= 3 ? (m.groupInstanceId === null ? NULL_STRING : str(m.groupInstanceId)) : Buffer.alloc(0),
    str(m.clientId),
    str(m.clientHost),
    version >= 1 ? i32(m.rebalanceTimeoutMs) : Buffer.alloc(0),
    i32(m.sessionTimeoutMs),
    bytes(m.subscription),
    bytes(m.assignment),
  );
}

describe('group metadata key', () => {
  test('v2 bytes: version 2, group', () => {
    assert.deepEqual(encodeGroupMetadataKey('grp'), cat(i16(2), str('grp')));
    assert.equal(decodeGroupMetadataKey(cat(i16(2), str('gr\u00fcp'))), 'gr\u00fcp');
  });
});

describe('group metadata value', () => {
  test('v3 bytes, field by field', () => {
    const expected = cat(
      i16(3),
      str('consumer'),
      i32(4),
      str('range'),
      str('consumer-1-abc'),
      i64(1700000000000n),
      i32(1),
      str('consumer-1-abc'),
      str('static-1'),
      str('consumer-1'),
      str('/10.0.0.5'),
      i32(300000),
      i32(10000),
      i32(sub.length),
      sub,
      i32(assign.length),
      assign,
    );
    assert.deepEqual(encodeGroupMetadataValue(group), expected);
  });

  test('v3 bytes of an empty group: null protocol and leader, -1 state timestamp, no members', () => {
    const empty: StoredGroup = {
      protocolType: 'consumer',
      generationId: 5,
      protocolName: null,
      leader: null,
      currentStateTimestamp: null,
      members: [],
    };
    const expected = cat(i16(3), str('consumer'), i32(5), NULL_STRING, NULL_STRING, i64(-1n), i32(0));
    assert.deepEqual(encodeGroupMetadataValue(empty), expected);
    assert.deepEqual(decodeGroupMetadataValue(expected), empty);
  });

  test('v3 round trip with a null group_instance_id and empty bytes', () => {
    const g: StoredGroup = {
      ...group,
      members: [member, { ...member, memberId: 'm2', groupInstanceId: null, subscription: Buffer.alloc(0) }],
    };
    const encoded = encodeGroupMetadataValue(g);
    assert.deepEqual(encoded.subarray(0, 2), i16(3));
    assert.deepEqual(decodeGroupMetadataValue(encoded), g);
  });

  test('v0 from hand-made bytes: no state timestamp, rebalance timeout is the session timeout', () => {
    const v0 = cat(i16(0), str('consumer'), i32(4), str('range'), str('consumer-1-abc'), i32(1), memberBytes(0, member));
    assert.deepEqual(decodeGroupMetadataValue(v0), {
      ...group,
      currentStateTimestamp: null,
      members: [{ ...member, groupInstanceId: null, rebalanceTimeoutMs: member.sessionTimeoutMs }],
    });
  });

  test('v1 and v2 from hand-made bytes', () => {
    const head = cat(str('consumer'), i32(4), str('range'), str('consumer-1-abc'));
    const v1 = cat(i16(1), head, i32(1), memberBytes(1, member));
    const expectedMember = { ...member, groupInstanceId: null };
    assert.deepEqual(decodeGroupMetadataValue(v1), { ...group, currentStateTimestamp: null, members: [expectedMember] });
    const v2 = cat(i16(2), head, i64(1700000000000n), i32(1), memberBytes(2, member));
    assert.deepEqual(decodeGroupMetadataValue(v2), { ...group, members: [expectedMember] });
  });

  test('v4 (flexible) from hand-made bytes, with tagged fields in the group and the member', () => {
    const v4 = cat(
      i16(4),
      cstr('consumer'),
      i32(4),
      cstr('range'),
      Buffer.from([0]), // null leader
      i64(-1n),
      Buffer.from([2]), // compact array of 1
      cstr('consumer-1-abc'),
      Buffer.from([0]), // null group_instance_id
      cstr('consumer-1'),
      cstr('/10.0.0.5'),
      i32(300000),
      i32(10000),
      cbytes(sub),
      cbytes(assign),
      Buffer.from([1, 9, 1, 0x00]), // member tags: tag 9, 1 byte
      NO_TAGS,
    );
    assert.deepEqual(decodeGroupMetadataValue(v4), {
      ...group,
      leader: null,
      currentStateTimestamp: null,
      members: [{ ...member, groupInstanceId: null }],
    });
  });

  test('decoded bytes are copies, not views of the input', () => {
    const encoded = encodeGroupMetadataValue(group);
    const decoded = decodeGroupMetadataValue(encoded);
    encoded.fill(0);
    assert.deepEqual(decoded.members[0]?.subscription, sub);
  });

  test('truncation, trailing bytes, a null protocol type, garbage counts and unknown versions throw', () => {
    const good = encodeGroupMetadataValue(group);
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => decodeGroupMetadataValue(good.subarray(0, n)), CoordinatorRecordError, `length ${n}`);
    }
    assert.throws(() => decodeGroupMetadataValue(cat(good, Buffer.from([1]))), /trailing/);
    assert.throws(
      () => decodeGroupMetadataValue(cat(i16(3), NULL_STRING, i32(1), NULL_STRING, NULL_STRING, i64(-1n), i32(0))),
      CoordinatorRecordError,
    );
    assert.throws(
      () => decodeGroupMetadataValue(cat(i16(3), str('c'), i32(1), NULL_STRING, NULL_STRING, i64(-1n), i32(1e9))),
      CoordinatorRecordError,
    );
    assert.throws(() => decodeGroupMetadataValue(cat(i16(5), str('consumer'))), /unknown group metadata value version 5/);
  });
});
