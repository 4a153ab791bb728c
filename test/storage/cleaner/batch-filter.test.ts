import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crc32c } from '../../../src/util/crc32c.js';
import { BatchFate, filterBatch } from '../../../src/storage/cleaner/batch-filter.js';
import { OffsetMap } from '../../../src/storage/cleaner/offset-map.js';
import { readBatchRecords } from '../../../src/protocol/record-batch.js';
import { deleteHorizonOf } from '../../../src/storage/cleaner/record-reader.js';
import { BASE_TS, gzipped, keyedBatch, markedCodec } from './compaction-env.js';

const NOW = BASE_TS + 1000;

function mapOf(entries: Array<[string, number]>, latestOffset: number): OffsetMap {
  const map = new OffsetMap(1 << 20, latestOffset);
  for (const [k, o] of entries) map.put(Buffer.from(k), o);
  return map;
}

function records(batch: Buffer): Array<{ offset: number; key: string | null; value: string | null; timestamp: number }> {
  const parsed = readBatchRecords(batch, 0);
  assert.ok(parsed !== null);
  const base = Number(batch.readBigInt64BE(0));
  const baseTs = Number(batch.readBigInt64BE(27));
  return parsed.records.map((r) => ({ offset: base + r.offsetDelta, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null, timestamp: baseTs + r.timestampDelta }));
}

const crcOk = (b: Buffer): boolean => crc32c(b.subarray(21)) === b.readUInt32BE(17);

describe('filterBatch (Kafka MemoryRecords.filterTo for one batch)', () => {
  const batch = keyedBatch(
    [
      { key: 'a', value: 'a1' },
      { key: 'b', value: 'b1' },
      { key: 'a', value: 'a2' },
      { key: 'c', value: 'c1' },
    ],
    { baseOffset: 100, partitionLeaderEpoch: 7, producerId: 42, producerEpoch: 3, baseSequence: 9 },
  );

  test('keeps only the latest record per key; base offset, last offset delta, epoch and producer fields survive', () => {
    const map = mapOf([['a', 102], ['b', 200], ['c', 103]], 300);
    const result = filterBatch(batch, 0, { map, now: NOW, deleteRetentionMs: 1000 });
    assert.equal(result.fate, BatchFate.REWRITTEN);
    assert.equal(result.recordsRemoved, 2);
    const out = result.output;
    assert.ok(out !== null);
    assert.deepEqual(records(out).map((r) => [r.offset, r.key, r.value]), [[102, 'a', 'a2'], [103, 'c', 'c1']]);
    assert.equal(Number(out.readBigInt64BE(0)), 100);
    assert.equal(out.readInt32BE(23), 3, 'lastOffsetDelta of the original batch');
    assert.equal(out.readInt32BE(57), 2, 'record count');
    assert.equal(out.readInt32BE(12), 7);
    assert.equal(Number(out.readBigInt64BE(43)), 42);
    assert.equal(out.readInt16BE(51), 3);
    assert.equal(out.readInt32BE(53), 9);
    assert.equal(out.readInt32BE(8), out.length - 12);
    assert.equal(Number(out.readBigInt64BE(35)), BASE_TS + 3, 'maxTimestamp of the kept records');
    assert.deepEqual(records(out).map((r) => r.timestamp), [BASE_TS + 2, BASE_TS + 3]);
    assert.ok(crcOk(out));
  });

  test('records past the map end are kept even when superseded, and a batch with every record kept is unchanged', () => {
    const map = mapOf([['a', 500], ['b', 500], ['c', 500]], 101);
    const result = filterBatch(batch, 0, { map, now: NOW, deleteRetentionMs: 1000 });
    assert.deepEqual(records(result.output ?? Buffer.alloc(0)).map((r) => r.offset), [102, 103]);
    const all = filterBatch(batch, 0, { map: mapOf([], 99), now: NOW, deleteRetentionMs: 1000 });
    assert.equal(all.fate, BatchFate.KEPT);
    assert.deepEqual(all.output, batch);
  });

  test('a batch with no surviving record is dropped', () => {
    const map = mapOf([['a', 900], ['b', 900], ['c', 900]], 1000);
    const result = filterBatch(batch, 0, { map, now: NOW, deleteRetentionMs: 1000 });
    assert.equal(result.fate, BatchFate.DROPPED);
    assert.equal(result.output, null);
    assert.equal(result.recordsRemoved, 4);
  });

  test('tombstones get a delete horizon (attribute bit 6, base timestamp) and go once it has passed', () => {
    const withTombstone = keyedBatch([{ key: 'a', value: 'a1' }, { key: 'x', value: null }], { baseOffset: 10 });
    const map = mapOf([['a', 10], ['x', 11]], 11);
    const first = filterBatch(withTombstone, 0, { map, now: NOW, deleteRetentionMs: 5000 });
    assert.equal(first.fate, BatchFate.REWRITTEN);
    const out = first.output;
    assert.ok(out !== null);
    assert.equal(deleteHorizonOf(out, 0), NOW + 5000);
    assert.equal(first.tombstoneHorizon, NOW + 5000);
    assert.deepEqual(records(out).map((r) => [r.key, r.value, r.timestamp]), [['a', 'a1', BASE_TS], ['x', null, BASE_TS + 1]], 'record timestamps kept');
    assert.equal(Number(out.readBigInt64BE(35)), BASE_TS + 1);
    assert.ok(crcOk(out));
    const again = filterBatch(out, 0, { map, now: NOW + 4999, deleteRetentionMs: 5000 });
    assert.equal(again.fate, BatchFate.KEPT, 'horizon not reached: unchanged');
    const later = filterBatch(out, 0, { map, now: NOW + 5000, deleteRetentionMs: 5000 });
    assert.deepEqual(records(later.output ?? Buffer.alloc(0)).map((r) => [r.key, r.value, r.timestamp]), [['a', 'a1', BASE_TS]]);
    assert.equal(later.tombstoneHorizon, undefined);
  });

  test('records without a key are removed, control batches are kept as they are', () => {
    const keyless = keyedBatch([{ key: null, value: 'v' }, { key: 'k', value: 'v' }], { baseOffset: 0 });
    const result = filterBatch(keyless, 0, { map: mapOf([['k', 1]], 1), now: NOW, deleteRetentionMs: 0 });
    assert.deepEqual(records(result.output ?? Buffer.alloc(0)).map((r) => r.key), ['k']);
    const control = keyedBatch([{ key: 'ctl', value: 'x' }], { baseOffset: 5, isControl: true });
    const kept = filterBatch(control, 0, { map: mapOf([['ctl', 99]], 100), now: NOW, deleteRetentionMs: 0 });
    assert.equal(kept.fate, BatchFate.KEPT);
    assert.deepEqual(kept.output, control);
  });

  test('gzip batches are decompressed, filtered and recompressed', () => {
    const gz = gzipped(batch);
    const map = mapOf([['a', 102], ['b', 200], ['c', 103]], 300);
    const result = filterBatch(gz, 0, { map, now: NOW, deleteRetentionMs: 1000 });
    const out = result.output;
    assert.ok(out !== null);
    assert.equal(out.readInt16BE(21) & 7, 1, 'still gzip');
    assert.ok(crcOk(out));
    assert.deepEqual(records(out).map((r) => [r.offset, r.value]), [[102, 'a2'], [103, 'c1']]);
  });

  test('batches of codecs without a decoder here are kept whole', () => {
    const snappy = markedCodec(batch, 2);
    const result = filterBatch(snappy, 0, { map: mapOf([['a', 900]], 1000), now: NOW, deleteRetentionMs: 0 });
    assert.equal(result.fate, BatchFate.UNDECODABLE);
    assert.deepEqual(result.output, snappy);
  });
});
