import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeOffsetCommitKey,
  decodeOffsetCommitValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../../src/coordinator/records/offset-commit-codec.js';
import type { OffsetAndMetadata } from '../../../src/coordinator/records/coordinator-record.js';
import { CoordinatorRecordError } from '../../../src/coordinator/records/coordinator-record-error.js';
import { cat, cstr, i16, i32, i64, str } from '../../protocol/bytes.js';

const committed: OffsetAndMetadata = {
  offset: 1234567890123,
  leaderEpoch: 7,
  metadata: 'meta',
  commitTimestamp: 1700000000000,
  expireTimestamp: null,
};

describe('offset commit key', () => {
  test('v1 bytes: version 1, group, topic, partition int32', () => {
    const expected = cat(i16(1), str('grp'), str('orders'), i32(3));
    assert.deepEqual(encodeOffsetCommitKey({ groupId: 'grp', topic: 'orders', partition: 3 }), expected);
  });

  test('v0 and v1 decode to the same key', () => {
    for (const version of [0, 1]) {
      const key = cat(i16(version), str('grp'), str('t\u00e9'), i32(-1 >>> 1));
      assert.deepEqual(decodeOffsetCommitKey(key), { groupId: 'grp', topic: 't\u00e9', partition: 0x7fffffff });
    }
  });
});

describe('offset commit value', () => {
  test('v3 bytes: offset int64, leader_epoch int32, metadata, commit_timestamp int64', () => {
    const expected = cat(i16(3), i64(1234567890123n), i32(7), str('meta'), i64(1700000000000n));
    assert.deepEqual(encodeOffsetCommitValue(committed), expected);
  });

  test('v3 with no leader epoch and empty metadata', () => {
    const value = { ...committed, leaderEpoch: -1, metadata: '' };
    const expected = cat(i16(3), i64(1234567890123n), i32(-1), i16(0), i64(1700000000000n));
    assert.deepEqual(encodeOffsetCommitValue(value), expected);
  });

  test('v1 bytes when an expire timestamp is set: offset, metadata, commit_timestamp, expire_timestamp', () => {
    const value = { ...committed, expireTimestamp: 1700086400000 };
    const expected = cat(i16(1), i64(1234567890123n), str('meta'), i64(1700000000000n), i64(1700086400000n));
    assert.deepEqual(encodeOffsetCommitValue(value), expected);
  });

  test('v3 and v1 round trip (v1 loses the leader epoch, as in Kafka)', () => {
    assert.deepEqual(decodeOffsetCommitValue(encodeOffsetCommitValue(committed)), committed);
    const withExpiry = { ...committed, expireTimestamp: 1700086400000 };
    assert.deepEqual(decodeOffsetCommitValue(encodeOffsetCommitValue(withExpiry)), { ...withExpiry, leaderEpoch: -1 });
  });

  test('v0 and v2 from hand-made bytes', () => {
    for (const version of [0, 2]) {
      const bytes = cat(i16(version), i64(42n), str('m'), i64(1000n));
      assert.deepEqual(decodeOffsetCommitValue(bytes), {
        offset: 42,
        leaderEpoch: -1,
        metadata: 'm',
        commitTimestamp: 1000,
        expireTimestamp: null,
      });
    }
  });

  test('v4 (flexible) from hand-made bytes, skipping an unknown tagged field', () => {
    // offset, leader_epoch, compact metadata, commit_timestamp, tags: 1 field (tag 5, 2 bytes).
    const tags = Buffer.from([1, 5, 2, 0xab, 0xcd]);
    const bytes = cat(i16(4), i64(99n), i32(12), cstr('hello'), i64(5555n), tags);
    assert.deepEqual(decodeOffsetCommitValue(bytes), {
      offset: 99,
      leaderEpoch: 12,
      metadata: 'hello',
      commitTimestamp: 5555,
      expireTimestamp: null,
    });
    const noTags = cat(i16(4), i64(1n), i32(-1), cstr(''), i64(2n), Buffer.from([0]));
    assert.equal(decodeOffsetCommitValue(noTags).metadata, '');
  });

  test('truncated, padded, null-metadata, unknown-version and out-of-range values throw CoordinatorRecordError', () => {
    const good = encodeOffsetCommitValue(committed);
    for (let n = 0; n < good.length; n++) {
      assert.throws(() => decodeOffsetCommitValue(good.subarray(0, n)), CoordinatorRecordError, `length ${n}`);
    }
    assert.throws(() => decodeOffsetCommitValue(cat(good, Buffer.from([0]))), /trailing/);
    assert.throws(() => decodeOffsetCommitValue(cat(i16(3), i64(1n), i32(0), i16(-1), i64(1n))), CoordinatorRecordError);
    assert.throws(() => decodeOffsetCommitValue(cat(i16(5), i64(1n))), /unknown offset commit value version 5/);
    assert.throws(() => decodeOffsetCommitValue(cat(i16(-1), i64(1n))), /version -1/);
    assert.throws(
      () => decodeOffsetCommitValue(cat(i16(0), i64(1n << 60n), str(''), i64(0n))),
      /outside the safe integer range/,
    );
  });
});
