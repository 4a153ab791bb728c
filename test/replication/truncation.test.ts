import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { divergenceTruncationOffset } from '../../src/replication/truncation.js';

const at = (epoch: number, endOffset: number): { epoch: number; endOffset: number } => ({ epoch, endOffset });

describe('divergenceTruncationOffset', () => {
  test('the leader has no end offset for us: truncate to our high watermark', () => {
    assert.equal(divergenceTruncationOffset(at(-1, -1), at(3, 40), 40, 25), 25);
    assert.equal(divergenceTruncationOffset(at(2, -1), at(2, 40), 40, 25), 25);
  });

  test('the leader has an end offset but no epoch: truncate to the smaller of its end and ours (Kafka), not to the high watermark', () => {
    assert.equal(divergenceTruncationOffset(at(-1, 30), at(3, 40), 40, 25), 30);
    assert.equal(divergenceTruncationOffset(at(-1, 50), at(3, 40), 40, 25), 40);
  });

  test('the high watermark fallback is still bounded by our log end offset', () => {
    assert.equal(divergenceTruncationOffset(at(-1, -1), at(-1, -1), 10, 30), 10);
  });

  test('we have no epoch at or below the leader one: truncate to the leader end offset', () => {
    assert.equal(divergenceTruncationOffset(at(1, 12), at(-1, -1), 30, 5), 12);
  });

  test('our floor epoch differs from the leader one: truncate to the end of our floor epoch', () => {
    // Leader: epoch 3 ends at 20. We have epochs 1 and 4 only; our floor for 3 is epoch 1 ending at 15.
    assert.equal(divergenceTruncationOffset(at(3, 20), at(1, 15), 30, 5), 15);
  });

  test('same epoch: truncate to the smaller end offset', () => {
    assert.equal(divergenceTruncationOffset(at(2, 8), at(2, 14), 30, 0), 8);
    assert.equal(divergenceTruncationOffset(at(2, 14), at(2, 8), 30, 0), 8);
  });

  test('never beyond our own log end offset', () => {
    assert.equal(divergenceTruncationOffset(at(2, 50), at(2, 60), 45, 0), 45);
    assert.equal(divergenceTruncationOffset(at(1, 50), at(-1, -1), 45, 0), 45);
    assert.equal(divergenceTruncationOffset(at(3, 50), at(1, 60), 45, 0), 45);
  });

  test('never below zero', () => {
    assert.equal(divergenceTruncationOffset(at(-1, -1), at(-1, -1), 0, -1), 0);
  });
});
