import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../src/protocol/codec.js';
import { cat, cstr, i16, i32, i8, str, unframe } from './bytes.js';

// Layouts from AlterPartitionReassignments{Request,Response}.json and ListPartitionReassignments{...}.json:
// v0 only, flexible from v0 (compact arrays/strings, tag buffers, request header v2, response header v1).
describe('partition reassignment APIs byte-exact', () => {
  test('AlterPartitionReassignments v0 request: one partition moved, one cancelled (null replicas)', () => {
    const frame = cat(
      i16(45), i16(0), i32(9), str('adminclient-1'), i8(0),
      i32(30000),
      i8(2), cstr('orders'),
      i8(3), i32(0), i8(3), i32(2), i32(3), i8(0),
      i32(1), i8(0), i8(0),
      i8(0),
      i8(0),
    );
    const { header, body } = decodeRequest(frame);
    assert.equal(header.apiKey, 45);
    assert.deepEqual(body, {
      timeoutMs: 30000,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, replicas: [2, 3] }, { partitionIndex: 1, replicas: null }] }],
    });
    assert.deepEqual(unframe(encodeRequest(header, body)), frame);
  });

  test('AlterPartitionReassignments v0 response with a per-partition error', () => {
    const expected = cat(
      i32(9), i8(0),
      i32(0), i16(0), i8(0),
      i8(2), cstr('orders'),
      i8(2), i32(1), i16(85), cstr('no reassignment'), i8(0),
      i8(0),
      i8(0),
    );
    const body = {
      throttleTimeMs: 0, errorCode: 0, errorMessage: null,
      responses: [{ name: 'orders', partitions: [{ partitionIndex: 1, errorCode: 85, errorMessage: 'no reassignment' }] }],
    };
    assert.deepEqual(unframe(encodeResponse({ apiKey: 45, apiVersion: 0, correlationId: 9 }, body)), expected);
    assert.deepEqual(decodeResponse(expected, 45, 0).body, body);
  });

  test('ListPartitionReassignments v0 request with null topics (list everything) and with a filter', () => {
    const all = cat(i16(46), i16(0), i32(4), str('c'), i8(0), i32(60000), i8(0), i8(0));
    const decoded = decodeRequest(all);
    assert.deepEqual(decoded.body, { timeoutMs: 60000, topics: null });
    assert.deepEqual(unframe(encodeRequest(decoded.header, decoded.body)), all);
    const some = cat(i16(46), i16(0), i32(5), str('c'), i8(0), i32(1000), i8(2), cstr('t'), i8(3), i32(0), i32(2), i8(0), i8(0));
    assert.deepEqual(decodeRequest(some).body, { timeoutMs: 1000, topics: [{ name: 't', partitionIndexes: [0, 2] }] });
  });

  test('ListPartitionReassignments v0 response', () => {
    const expected = cat(
      i32(5), i8(0),
      i32(0), i16(0), i8(0),
      i8(2), cstr('t'),
      i8(2), i32(0), i8(4), i32(1), i32(2), i32(3), i8(2), i32(3), i8(2), i32(1), i8(0),
      i8(0),
      i8(0),
    );
    const body = {
      throttleTimeMs: 0, errorCode: 0, errorMessage: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: [1, 2, 3], addingReplicas: [3], removingReplicas: [1] }] }],
    };
    assert.deepEqual(unframe(encodeResponse({ apiKey: 46, apiVersion: 0, correlationId: 5 }, body)), expected);
    assert.deepEqual(decodeResponse(expected, 46, 0).body, body);
  });
});
