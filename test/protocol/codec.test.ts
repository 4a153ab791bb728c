import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, encodeRequest } from '../../src/protocol/codec.js';
import { ProtocolError } from '../../src/protocol/errors.js';
import { requestHeaderVersion, responseHeaderVersion } from '../../src/protocol/headers.js';
import { cat, i16, i32, str, unframe } from './bytes.js';

const protocolError = (kind: string, correlationId?: number) => (e: unknown): boolean => {
  assert.ok(e instanceof ProtocolError);
  assert.equal(e.kind, kind);
  assert.equal(e.kafkaError, kind);
  if (correlationId !== undefined) assert.equal(e.header?.correlationId, correlationId);
  return true;
};

describe('codec errors', () => {
  test('unknown api key is UNSUPPORTED_VERSION with the parsed header', () => {
    const frame = cat(i16(999), i16(0), i32(77), str('x'));
    assert.throws(() => decodeRequest(frame), protocolError('UNSUPPORTED_VERSION', 77));
  });

  test('ApiVersions above the supported range is UNSUPPORTED_VERSION with header (server answers v0 error 35)', () => {
    // A v4 request is flexible: header v2 with a tag buffer, body of compact strings.
    const frame = cat(i16(18), i16(4), i32(5), str('java'), Buffer.from([0, 1, 1, 0]));
    assert.throws(() => decodeRequest(frame), (e: unknown) => {
      protocolError('UNSUPPORTED_VERSION', 5)(e);
      assert.deepEqual((e as ProtocolError).header, { apiKey: 18, apiVersion: 4, correlationId: 5, clientId: 'java' });
      return true;
    });
  });

  test('Produce below the supported range is UNSUPPORTED_VERSION', () => {
    assert.throws(() => decodeRequest(cat(i16(0), i16(2), i32(1), str('c'))), protocolError('UNSUPPORTED_VERSION', 1));
  });

  test('a truncated body is INVALID_REQUEST with the header', () => {
    const frame = cat(i16(3), i16(1), i32(11), str('c'), i32(3), str('a'));
    assert.throws(() => decodeRequest(frame), protocolError('INVALID_REQUEST', 11));
  });

  test('a frame shorter than the fixed header is INVALID_REQUEST', () => {
    assert.throws(() => decodeRequest(Buffer.from([0, 3, 0])), protocolError('INVALID_REQUEST'));
  });

  test('client side: encodeRequest on an unsupported version throws', () => {
    assert.throws(() => encodeRequest({ apiKey: 1, apiVersion: 13, correlationId: 1, clientId: null }, {}),
      protocolError('UNSUPPORTED_VERSION'));
  });
});

describe('header versions', () => {
  test('request header: flexible v2, ControlledShutdown v0 uses v0, otherwise v1', () => {
    assert.equal(requestHeaderVersion(1, 12), 2);
    assert.equal(requestHeaderVersion(1, 11), 1);
    assert.equal(requestHeaderVersion(7, 0), 0);
    assert.equal(requestHeaderVersion(17, 1), 1);
    assert.equal(requestHeaderVersion(60, 0), 2);
  });

  test('response header: flexible v1, except ApiVersions which is always v0', () => {
    assert.equal(responseHeaderVersion(18, 3), 0);
    assert.equal(responseHeaderVersion(3, 9), 1);
    assert.equal(responseHeaderVersion(3, 8), 0);
  });

  test('a flexible request header round trips with a null client id', () => {
    const header = { apiKey: 3, apiVersion: 12, correlationId: 4, clientId: null };
    const frame = unframe(encodeRequest(header, { topics: null }));
    assert.deepEqual(decodeRequest(frame).header, header);
  });
});
