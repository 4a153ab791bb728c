import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../src/protocol/codec.js';
import { scanBatches } from '../../src/protocol/record-batch.js';
import { cat, cstr, i16, i32, i64, i8, join, str, unframe } from './bytes.js';
import { handBuiltBatch } from './fixtures.js';

describe('byte-exact request fixtures', () => {
  test('ApiVersions v0 request (header v1, empty body)', () => {
    const frame = cat(i16(18), i16(0), i32(1), str('kcat'));
    const { header, body } = decodeRequest(frame);
    assert.deepEqual(header, { apiKey: 18, apiVersion: 0, correlationId: 1, clientId: 'kcat' });
    assert.deepEqual(body, {});
    assert.deepEqual(unframe(encodeRequest(header, {})), frame);
  });

  test('Metadata v1 request with two topics, and with null topics', () => {
    const frame = cat(i16(3), i16(1), i32(7), str('client'), i32(2), str('a'), str('bc'));
    const decoded = decodeRequest(frame);
    assert.deepEqual(decoded.body, { topics: [{ name: 'a' }, { name: 'bc' }] });
    assert.deepEqual(unframe(encodeRequest(decoded.header, decoded.body)), frame);
    const all = cat(i16(3), i16(1), i32(8), str('client'), i32(-1));
    assert.deepEqual(decodeRequest(all).body, { topics: null });
  });

  test('Produce v3 request with one record batch; records stay a view of the frame', () => {
    const batch = handBuiltBatch();
    const frame = cat(
      i16(0), i16(3), i32(42), str('producer'),
      i16(-1), // transactional_id null
      i16(-1), // acks
      i32(30000), // timeout_ms
      i32(1), str('orders'), // one topic
      i32(1), i32(0), i32(batch.length), batch, // one partition with its batch
    );
    const { header, body } = decodeRequest(frame);
    assert.deepEqual(header, { apiKey: 0, apiVersion: 3, correlationId: 42, clientId: 'producer' });
    assert.deepEqual(body, {
      transactionalId: null, acks: -1, timeoutMs: 30000,
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: batch }] }],
    });
    const records = (body as { topicData: Array<{ partitionData: Array<{ records: Buffer }> }> }).topicData[0]
      ?.partitionData[0]?.records;
    assert.ok(records !== undefined);
    assert.equal(records.buffer, frame.buffer, 'zero copy');
    assert.equal(scanBatches(records).length, 1);
    assert.deepEqual(unframe(encodeRequest(header, body)), frame);
  });
});

describe('byte-exact response fixtures', () => {
  test('Fetch v11 response with one batch', () => {
    const batch = handBuiltBatch(5n);
    const expected = cat(
      i32(9), // correlation id (response header v0)
      i32(0), i16(0), i32(0), // throttle_time_ms error_code session_id
      i32(1), str('orders'),
      i32(1),
      i32(0), i16(0), i64(6n), i64(6n), i64(0n), // partition error hw lso log_start
      i32(-1), // aborted_transactions null
      i32(-1), // preferred_read_replica
      i32(batch.length), batch,
    );
    const body = {
      throttleTimeMs: 0, errorCode: 0, sessionId: 0,
      responses: [{
        topic: 'orders',
        partitions: [{
          partitionIndex: 0, errorCode: 0, highWatermark: 6n, lastStableOffset: 6n, logStartOffset: 0n,
          abortedTransactions: null, preferredReadReplica: -1, records: batch,
        }],
      }],
    };
    assert.deepEqual(unframe(encodeResponse({ apiKey: 1, apiVersion: 11, correlationId: 9 }, body)), expected);
    assert.deepEqual(decodeResponse(expected, 1, 11), { correlationId: 9, body });
  });

  test('records of 1 KB or more are sent by reference', () => {
    const big = Buffer.alloc(4096, 7);
    const chunks = encodeResponse({ apiKey: 1, apiVersion: 11, correlationId: 1 }, {
      responses: [{ topic: 't', partitions: [{ records: big }] }],
    });
    assert.ok(chunks.includes(big));
    assert.equal(chunks[0]?.readInt32BE(0), join(chunks).length - 4);
  });
});

describe('flexible versions byte-exact', () => {
  test('ApiVersions v3 request: header v2 with tag buffer, compact strings', () => {
    const frame = cat(i16(18), i16(3), i32(2), str('rdkafka'), i8(0), cstr('librdkafka'), cstr('2.0.2'), i8(0));
    const { header, body } = decodeRequest(frame);
    assert.deepEqual(header, { apiKey: 18, apiVersion: 3, correlationId: 2, clientId: 'rdkafka' });
    assert.deepEqual(body, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    assert.deepEqual(unframe(encodeRequest(header, body)), frame);
  });

  test('ApiVersions v3 response: header v0 (no tags), compact array, tagged finalized epoch', () => {
    const expected = cat(
      i32(2), // header v0 even though v3 is flexible
      i16(0), // error_code
      i8(2), i16(18), i16(0), i16(3), i8(0), // api_keys: 1 entry + its tag buffer
      i32(0), // throttle_time_ms
      i8(1), i8(1), i8(8), i64(5n), // tagged: finalized_features_epoch (tag 1) = 5
    );
    const chunks = encodeResponse({ apiKey: 18, apiVersion: 3, correlationId: 2 }, {
      errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], finalizedFeaturesEpoch: 5n,
    });
    assert.deepEqual(unframe(chunks), expected);
    const { body } = decodeResponse(expected, 18, 3);
    assert.deepEqual(body, {
      errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0,
      supportedFeatures: [], finalizedFeaturesEpoch: 5n, finalizedFeatures: [], zkMigrationReady: false,
    });
  });

  test('Heartbeat v4 response: header v1 carries a tag buffer', () => {
    const expected = cat(i32(3), i8(0), i32(0), i16(27), i8(0));
    assert.deepEqual(unframe(encodeResponse({ apiKey: 12, apiVersion: 4, correlationId: 3 }, { errorCode: 27 })), expected);
  });
});
