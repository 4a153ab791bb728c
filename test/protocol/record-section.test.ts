import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../../src/protocol/errors.js';
import { BATCH, batchRecordsSection, buildRecordBatch, decodeRecords, readBatchRecords } from '../../src/protocol/record-batch.js';
import { parseRecordSection, recordHeaders } from '../../src/protocol/record-section.js';
import { firstRecordAtOrAfter } from '../../src/protocol/record-timestamps.js';
import { gzipped, markedCodec } from './batch-codecs.js';

const plain = buildRecordBatch({
  baseOffset: 100,
  baseTimestamp: 1000,
  records: [
    { key: 'a', value: 'one', timestampDelta: 0, headers: [{ key: 'h', value: 'v' }] },
    { key: null, value: null, timestampDelta: 5 },
    { key: 'c', value: 'three', timestampDelta: 9 },
  ],
});

const corrupt = (error: unknown): boolean => error instanceof ProtocolError && error.kind === 'CORRUPT_MESSAGE';

describe('records section', () => {
  test('parseRecordSection locates each record; views point into the section', () => {
    const section = plain.subarray(BATCH.RECORDS);
    const views = parseRecordSection(section, 3);
    assert.deepEqual(
      views.map((v) => [v.offsetDelta, v.timestampDelta, v.key?.toString() ?? null, v.value?.toString() ?? null]),
      [[0, 0, 'a', 'one'], [1, 5, null, null], [2, 9, 'c', 'three']],
    );
    assert.equal(views[0]?.start, 0);
    assert.equal(views[2]?.end, section.length);
    assert.equal(views[1]?.start, views[0]?.end);
    assert.deepEqual(recordHeaders(section, views[0] ?? assert.fail()), [{ key: 'h', value: Buffer.from('v') }]);
    assert.deepEqual(recordHeaders(section, views[1] ?? assert.fail()), []);
  });

  test('truncated records and bytes after the last record are CORRUPT_MESSAGE', () => {
    const section = plain.subarray(BATCH.RECORDS);
    assert.throws(() => parseRecordSection(section.subarray(0, section.length - 1), 3), corrupt);
    assert.throws(() => parseRecordSection(section, 2), corrupt, 'one record left over');
    assert.throws(() => parseRecordSection(Buffer.concat([section, Buffer.from([0])]), 3), corrupt);
    assert.throws(() => parseRecordSection(Buffer.from([0x80]), 1), corrupt, 'unterminated varint');
  });

  test('gzip batches read the same records as uncompressed ones; other codecs are null', () => {
    const gz = gzipped(plain);
    assert.deepEqual(batchRecordsSection(gz, 0), plain.subarray(BATCH.RECORDS));
    const fromGzip = readBatchRecords(gz, 0)?.records.map((r) => [r.key, r.value, r.offsetDelta]);
    assert.deepEqual(fromGzip, readBatchRecords(plain, 0)?.records.map((r) => [r.key, r.value, r.offsetDelta]));
    assert.equal(readBatchRecords(markedCodec(plain, 2), 0), null);
    assert.equal(readBatchRecords(markedCodec(plain, 4), 0), null);
  });

  test('decodeRecords decodes headers and refuses compressed batches', () => {
    const [first] = decodeRecords(plain);
    assert.deepEqual(first?.headers, [{ key: 'h', value: Buffer.from('v') }]);
    assert.throws(() => decodeRecords(gzipped(plain)), corrupt);
  });

  test('firstRecordAtOrAfter searches uncompressed and gzip batches record by record', () => {
    for (const batch of [plain, gzipped(plain)]) {
      assert.deepEqual(firstRecordAtOrAfter(batch, 0, 1003), { offset: 101, timestamp: 1005 });
      assert.deepEqual(firstRecordAtOrAfter(batch, 0, 0), { offset: 100, timestamp: 1000 });
      assert.deepEqual(firstRecordAtOrAfter(batch, 0, 1009), { offset: 102, timestamp: 1009 });
      assert.equal(firstRecordAtOrAfter(batch, 0, 1010), null);
    }
    assert.deepEqual(firstRecordAtOrAfter(markedCodec(plain, 3), 0, 1003), { offset: 100, timestamp: 1009 });
  });
});
