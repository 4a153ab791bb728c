import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSubscriptionTopics } from '../../../src/coordinator/group/consumer-protocol.js';
import { subscription } from './fixtures.js';

describe('consumer protocol', () => {
  test('subscription topics are read with the v0 prefix of any version', () => {
    assert.deepEqual(decodeSubscriptionTopics(subscription(['a', 'bé'])), ['a', 'bé']);
    const v3 = Buffer.concat([subscription(['x']), Buffer.from([0, 0, 0, 0, 0, 0, 0, 1])]);
    v3.writeInt16BE(3, 0);
    assert.deepEqual(decodeSubscriptionTopics(v3), ['x']);
    assert.equal(decodeSubscriptionTopics(Buffer.from([0, 0, 0, 0, 0, 5])), null);
    assert.equal(decodeSubscriptionTopics(Buffer.from([0xff, 0xff])), null);
  });
});
