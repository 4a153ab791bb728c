import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeCoordinatorRecord,
  encodeCoordinatorRecord,
} from '../../../src/coordinator/records/coordinator-record-codec.js';
import type { CoordinatorRecord } from '../../../src/coordinator/records/coordinator-record.js';
import { CoordinatorRecordError } from '../../../src/coordinator/records/coordinator-record-error.js';
import { cat, i16, i32, i64, str } from '../../protocol/bytes.js';

const offset: CoordinatorRecord = {
  type: 'offset',
  groupId: 'grp',
  topic: 'orders',
  partition: 2,
  value: { offset: 10, leaderEpoch: 3, metadata: '', commitTimestamp: 1000, expireTimestamp: null },
};
const group: CoordinatorRecord = {
  type: 'group',
  groupId: 'grp',
  value: {
    protocolType: 'consumer',
    generationId: 1,
    protocolName: 'range',
    leader: 'm1',
    currentStateTimestamp: 2000,
    members: [
      {
        memberId: 'm1',
        groupInstanceId: null,
        clientId: 'c',
        clientHost: '/127.0.0.1',
        rebalanceTimeoutMs: 60000,
        sessionTimeoutMs: 45000,
        subscription: Buffer.from([1, 2]),
        assignment: Buffer.from([3]),
      },
    ],
  },
};

describe('encodeCoordinatorRecord / decodeCoordinatorRecord', () => {
  test('offset commit: key v1, value v3', () => {
    const { key, value } = encodeCoordinatorRecord(offset);
    assert.deepEqual(key, cat(i16(1), str('grp'), str('orders'), i32(2)));
    assert.deepEqual(value, cat(i16(3), i64(10n), i32(3), str(''), i64(1000n)));
    assert.deepEqual(decodeCoordinatorRecord(key, value), offset);
  });

  test('group metadata: key v2, value v3', () => {
    const { key, value } = encodeCoordinatorRecord(group);
    assert.deepEqual(key, cat(i16(2), str('grp')));
    assert.deepEqual(value?.subarray(0, 2), i16(3));
    assert.deepEqual(decodeCoordinatorRecord(key, value), group);
  });

  test('tombstones have a null value both ways', () => {
    const offsetTombstone: CoordinatorRecord = { ...offset, value: null };
    const groupTombstone: CoordinatorRecord = { type: 'group', groupId: 'grp', value: null };
    for (const rec of [offsetTombstone, groupTombstone]) {
      const { key, value } = encodeCoordinatorRecord(rec);
      assert.equal(value, null);
      assert.deepEqual(decodeCoordinatorRecord(key, null), rec);
    }
  });

  test('a v0 offset key is read like v1', () => {
    const rec = decodeCoordinatorRecord(cat(i16(0), str('g'), str('t'), i32(0)), null);
    assert.deepEqual(rec, { type: 'offset', groupId: 'g', topic: 't', partition: 0, value: null });
  });

  test('an unknown key version decodes to null (skipped by the loader), whatever its value', () => {
    assert.equal(decodeCoordinatorRecord(cat(i16(3), str('g')), null), null);
    assert.equal(decodeCoordinatorRecord(cat(i16(-2), str('g')), Buffer.from('garbage')), null);
  });

  test('short keys and truncated keys of known versions throw CoordinatorRecordError', () => {
    assert.throws(() => decodeCoordinatorRecord(Buffer.from([0]), null), /no version/);
    assert.throws(() => decodeCoordinatorRecord(cat(i16(1), str('g'), str('t')), null), CoordinatorRecordError);
    assert.throws(() => decodeCoordinatorRecord(cat(i16(2), i16(5), Buffer.from('ab')), null), CoordinatorRecordError);
  });

  test('a group key with an offset value (or the reverse) does not decode', () => {
    const o = encodeCoordinatorRecord(offset);
    const g = encodeCoordinatorRecord(group);
    assert.throws(() => decodeCoordinatorRecord(g.key, o.value), CoordinatorRecordError);
    assert.throws(() => decodeCoordinatorRecord(o.key, g.value), CoordinatorRecordError);
  });
});
