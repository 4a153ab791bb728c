import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { javaStringHashCode, offsetsPartitionFor } from '../../../src/coordinator/records/offsets-partition.js';

// Values printed by OpenJDK 17: String.hashCode(), Utils.abs(h) % 50 and % 7.
const JAVA: ReadonlyArray<{ id: string; hash: number; p50: number; p7: number }> = [
  { id: '', hash: 0, p50: 0, p7: 0 },
  { id: 'a', hash: 97, p50: 47, p7: 6 },
  { id: 'Aa', hash: 2112, p50: 12, p7: 5 },
  { id: 'BB', hash: 2112, p50: 12, p7: 5 },
  { id: 'polygenelubricants', hash: -2147483648, p50: 0, p7: 0 },
  { id: 'my-group', hash: -1906497762, p50: 12, p7: 1 },
  { id: 'console-consumer-12345', hash: 158455506, p50: 6, p7: 6 },
  { id: 'payments.v2', hash: -1539522339, p50: 39, p7: 5 },
  { id: 'group\u00e9', hash: -1237460406, p50: 6, p7: 0 },
  { id: '\u7ec4-\u6d88\u8d39\u8005', hash: -65227029, p50: 29, p7: 0 },
  { id: 'emoji-\u{1F600}', hash: 1164511306, p50: 6, p7: 0 },
  { id: '\u{1F600}', hash: 1772899, p50: 49, p7: 2 },
  { id: 'zzzzzzzzzz', hash: -1580979136, p50: 36, p7: 2 },
];

describe('javaStringHashCode', () => {
  for (const { id, hash } of JAVA) {
    test(`${JSON.stringify(id)} hashes like Java`, () => {
      assert.equal(javaStringHashCode(id), hash);
    });
  }

  test('a surrogate pair counts as two UTF-16 units', () => {
    // U+1F600 is D83D DE00: 0xD83D * 31 + 0xDE00.
    assert.equal(javaStringHashCode('\u{1F600}'), 0xd83d * 31 + 0xde00);
  });
});

describe('offsetsPartitionFor', () => {
  for (const { id, p50, p7 } of JAVA) {
    test(`${JSON.stringify(id)} maps to Kafka's partition`, () => {
      assert.equal(offsetsPartitionFor(id, 50), p50);
      assert.equal(offsetsPartitionFor(id, 7), p7);
    });
  }

  test('Integer.MIN_VALUE hashes to partition 0, not abs() of it', () => {
    // Math.abs(-2^31) % 7 would be 2.
    assert.equal(offsetsPartitionFor('polygenelubricants', 7), 0);
  });

  test('rejects a non-positive partition count', () => {
    assert.throws(() => offsetsPartitionFor('g', 0), RangeError);
    assert.throws(() => offsetsPartitionFor('g', 1.5), RangeError);
  });
});
