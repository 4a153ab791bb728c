import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSubscriptionTopics } from '../../../src/coordinator/group/consumer-protocol.js';
import { javaStringHashCode, offsetsPartitionFor } from '../../../src/coordinator/records/offsets-partition.js';
import { subscription } from './fixtures.js';

describe('consumer protocol and partitioning', () => {
  test('subscription topics are read with the v0 prefix of any version', () => {
    assert.deepEqual(decodeSubscriptionTopics(subscription(['a', 'bé'])), ['a', 'bé']);
    const v3 = Buffer.concat([subscription(['x']), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]);
    v3.writeInt16BE(3, 0);
    assert.deepEqual(decodeSubscriptionTopics(v3), ['x']);
    assert.equal(decodeSubscriptionTopics(Buffer.from([0, 0, 0, 0, 0, 5])), null);
    assert.equal(decodeSubscriptionTopics(Buffer.from([0xff, 0xff])), null);
  });

  test('partitionFor is abs(Java hashCode) % partitions', () => {
    assert.equal(javaStringHashCode('hello'), 99162322);
    assert.equal(javaStringHashCode('polygenelubricants'), -2147483648);
    assert.equal(offsetsPartitionFor('polygenelubricants', 50), 0);
    assert.equal(offsetsPartitionFor('a', 50), 47);
    assert.equal(javaStringHashCode('Aa'), javaStringHashCode('BB'));
  });
});
