import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, errorByCode, errorCode, type ErrorName } from '../../src/protocol/error-codes.js';

test('error codes: names, codes and retriability from Errors.java', () => {
  const expected: Array<[ErrorName, number, boolean]> = [
    ['UNKNOWN_SERVER_ERROR', -1, false], ['NONE', 0, false], ['CORRUPT_MESSAGE', 2, true],
    ['NOT_LEADER_OR_FOLLOWER', 6, true], ['STALE_CONTROLLER_EPOCH', 11, false], ['NOT_COORDINATOR', 16, true],
    ['UNSUPPORTED_VERSION', 35, false], ['NOT_CONTROLLER', 41, true], ['INVALID_REQUEST', 42, false],
    ['STALE_BROKER_EPOCH', 77, false], ['PREFERRED_LEADER_NOT_AVAILABLE', 80, true],
    ['ELIGIBLE_LEADERS_NOT_AVAILABLE', 83, true], ['ELECTION_NOT_NEEDED', 84, true],
    ['NO_REASSIGNMENT_IN_PROGRESS', 85, false], ['INVALID_RECORD', 87, false], ['INVALID_UPDATE_VERSION', 95, false],
    ['UNKNOWN_TOPIC_ID', 100, true],
  ];
  for (const [name, code, retriable] of expected) {
    assert.equal(errorCode(name), code, name);
    assert.deepEqual(errorByCode(code), { name, code, retriable });
  }
  assert.equal(errorByCode(12345).name, 'UNKNOWN_SERVER_ERROR');
  const codes: number[] = Object.values(ERROR_CODES).map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (let c = -1; c <= 119; c++) assert.ok(codes.includes(c), `code ${c} present`);
});
