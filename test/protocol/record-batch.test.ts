import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../../src/protocol/errors.js';
import { recordHeaders } from '../../src/protocol/record-section.js';
import {
  BATCH, buildRecordBatch, COMPRESSION, decodeRecords, readBatchRecords, scanBatches, scanValidPrefix, setBaseOffset, setLogAppendTime,
  setPartitionLeaderEpoch, writeCrc,
} from '../../src/protocol/record-batch.js';
import { BATCH_TIMESTAMP, handBuiltBatch } from './fixtures.js';

const kind = (k: string) => (e: unknown): boolean => e instanceof ProtocolError && e.kind === k;

describe('record batch scanning', () => {
  test('a hand-built batch validates and its header is read', () => {
    const batch = handBuiltBatch(17n);
    const [info] = scanBatches(batch);
    assert.deepEqual(info, {
      position: 0, size: batch.length, baseOffset: 17, lastOffsetDelta: 0, lastOffset: 17, recordCount: 1,
      attributes: 0, compression: 0, timestampType: 0, isTransactional: false, isControl: false,
      baseTimestamp: Number(BATCH_TIMESTAMP), maxTimestamp: Number(BATCH_TIMESTAMP), producerId: -1,
      producerEpoch: -1, baseSequence: -1, partitionLeaderEpoch: -1,
    });
  });

  test('buildRecordBatch produces the same bytes as the hand-built batch', () => {
    const built = buildRecordBatch({ records: [{ value: 'hi' }], baseTimestamp: Number(BATCH_TIMESTAMP) });
    assert.deepEqual(built, handBuiltBatch());
  });

  test('a flipped byte inside the CRC range fails with CORRUPT_MESSAGE', () => {
    const batch = handBuiltBatch();
    batch.writeUInt8((batch.at(-2) as number) ^ 0x01, batch.length - 2);
    assert.throws(() => scanBatches(batch), kind('CORRUPT_MESSAGE'));
  });

  test('baseOffset and partitionLeaderEpoch are outside the CRC; LogAppendTime recomputes it', () => {
    const batch = handBuiltBatch();
    setBaseOffset(batch, 0, 1234567890123);
    setPartitionLeaderEpoch(batch, 0, 9);
    setLogAppendTime(batch, 0, 1800000000000);
    const [info] = scanBatches(batch);
    assert.equal(info?.baseOffset, 1234567890123);
    assert.equal(info?.partitionLeaderEpoch, 9);
    assert.equal(info?.timestampType, 1);
    assert.equal(info?.maxTimestamp, 1800000000000);
  });

  test('several batches are walked; a truncated tail is reported with the valid prefix length', () => {
    const a = buildRecordBatch({ records: [{ key: 'k', value: 'v' }, { value: null }], baseTimestamp: 5, baseOffset: 0 });
    const b = buildRecordBatch({ records: [{ value: 'x' }], baseTimestamp: 6, baseOffset: 2 });
    const both = Buffer.concat([a, b]);
    assert.deepEqual(scanBatches(both).map((i) => [i.position, i.baseOffset, i.recordCount]), [[0, 0, 2], [a.length, 2, 1]]);
    for (const cut of [a.length + 5, a.length + 20, both.length - 1]) {
      const result = scanValidPrefix(both.subarray(0, cut));
      assert.equal(result.validBytes, a.length);
      assert.equal(result.batches.length, 1);
      assert.equal(result.error?.kind, 'CORRUPT_MESSAGE');
      assert.throws(() => scanBatches(both.subarray(0, cut)), kind('CORRUPT_MESSAGE'));
    }
    assert.equal(scanValidPrefix(both).error, undefined);
  });

  test('wrong magic and inconsistent record counts are INVALID_RECORD; a short batchLength is CORRUPT_MESSAGE', () => {
    const magic = handBuiltBatch();
    magic.writeInt8(1, BATCH.MAGIC);
    assert.throws(() => scanBatches(magic), kind('INVALID_RECORD'));
    const count = buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }], baseTimestamp: 0 });
    count.writeInt32BE(3, BATCH.RECORD_COUNT);
    // Fix the CRC so that only the count is wrong.
    writeCrc(count, 0);
    assert.throws(() => scanBatches(count), kind('INVALID_RECORD'));
    // A compacted batch keeps its offset span with fewer records: valid when read back from a log.
    const compacted = buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }], baseTimestamp: 0 });
    compacted.writeInt32BE(5, BATCH.LAST_OFFSET_DELTA);
    writeCrc(compacted, 0);
    const [info] = scanBatches(compacted);
    assert.equal(info?.recordCount, 2);
    assert.equal(info?.lastOffset, 5);
    const short = handBuiltBatch();
    short.writeInt32BE(48, BATCH.BATCH_LENGTH);
    assert.throws(() => scanBatches(short), kind('CORRUPT_MESSAGE'));
  });

  test('decodeRecords reads back keys, values, headers and deltas', () => {
    const batch = buildRecordBatch({
      baseTimestamp: 1000,
      producerId: 7, producerEpoch: 1, baseSequence: 0, isTransactional: true,
      records: [
        { key: 'k1', value: 'v1', headers: [{ key: 'h', value: 'x' }, { key: 'n', value: null }] },
        { key: null, value: Buffer.alloc(300, 1), timestampDelta: 250 },
      ],
    });
    const [info] = scanBatches(batch);
    assert.equal(info?.maxTimestamp, 1250);
    assert.equal(info?.isTransactional, true);
    assert.equal(info?.producerId, 7);
    const recs = decodeRecords(batch);
    assert.equal(recs.length, 2);
    assert.equal(recs[0]?.key?.toString(), 'k1');
    assert.deepEqual(recs[0]?.headers, [{ key: 'h', value: Buffer.from('x') }, { key: 'n', value: null }]);
    assert.equal(recs[1]?.key, null);
    assert.equal(recs[1]?.value?.length, 300);
    assert.equal(recs[1]?.timestampDelta, 250);
    assert.equal(recs[1]?.offsetDelta, 1);
  });

  test('a gzip batch from buildRecordBatch decodes to the same records as the uncompressed one', () => {
    const opts = {
      baseOffset: 7,
      baseTimestamp: 5000,
      records: [
        { key: 'k1', value: 'first value', headers: [{ key: 'h', value: 'hv' }] },
        { key: null, value: Buffer.alloc(500, 0x41), timestampDelta: 3 },
        { key: 'k3', value: null, timestampDelta: 9 },
      ],
    };
    const plain = buildRecordBatch(opts);
    const gz = buildRecordBatch({ ...opts, compression: 'gzip' });
    const [info] = scanBatches(gz);
    assert.equal(info?.compression, COMPRESSION.gzip);
    assert.equal(info?.size, gz.length);
    assert.equal(info?.recordCount, 3);
    assert.equal(info?.maxTimestamp, 5009);
    assert.ok(gz.length < plain.length, `gzip shrinks the repeated bytes: ${gz.length} vs ${plain.length}`);
    const decoded = readBatchRecords(gz, 0) ?? assert.fail('gzip is decodable');
    const records = decoded.records.map((r) => ({
      attributes: r.attributes, timestampDelta: r.timestampDelta, offsetDelta: r.offsetDelta, key: r.key, value: r.value,
      headers: recordHeaders(decoded.section, r),
    }));
    assert.deepEqual(records, decodeRecords(plain));
  });
});
