import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildCoordinatorBatch, readCoordinatorBatches } from '../../../src/coordinator/records/coordinator-batch.js';
import { decodeCoordinatorRecord, encodeCoordinatorRecord } from '../../../src/coordinator/records/coordinator-record-codec.js';
import type { CoordinatorRecord } from '../../../src/coordinator/records/coordinator-record.js';
import { CoordinatorRecordError } from '../../../src/coordinator/records/coordinator-record-error.js';
import { BATCH, buildRecordBatch, decodeRecords, readBatchAt, writeCrc } from '../../../src/protocol/record-batch.js';
import { gzipped, markedCodec } from '../../protocol/batch-codecs.js';

const records: CoordinatorRecord[] = [
  {
    type: 'offset',
    groupId: 'g1',
    topic: 'orders',
    partition: 0,
    value: { offset: 5, leaderEpoch: 0, metadata: 'x', commitTimestamp: 100, expireTimestamp: null },
  },
  {
    type: 'offset',
    groupId: 'g1',
    topic: 'orders',
    partition: 1,
    value: { offset: 9, leaderEpoch: -1, metadata: '', commitTimestamp: 100, expireTimestamp: 200 },
  },
  { type: 'offset', groupId: 'g1', topic: 'gone', partition: 0, value: null },
  {
    type: 'group',
    groupId: 'g1',
    value: {
      protocolType: 'consumer',
      generationId: 2,
      protocolName: 'roundrobin',
      leader: 'm',
      currentStateTimestamp: 100,
      members: [
        {
          memberId: 'm',
          groupInstanceId: 'i',
          clientId: 'c',
          clientHost: '/h',
          rebalanceTimeoutMs: 1,
          sessionTimeoutMs: 2,
          subscription: Buffer.from('sub'),
          assignment: Buffer.from('asg'),
        },
      ],
    },
  },
  { type: 'group', groupId: 'g2', value: null },
];

/** Every record of the batches, decoded. */
function readCoordinatorRecords(batches: Buffer): (CoordinatorRecord | null)[] {
  return readCoordinatorBatches(batches).records.map((r) => decodeCoordinatorRecord(r.key, r.value));
}

describe('buildCoordinatorBatch / readCoordinatorBatches', () => {
  test('a mixed batch round trips, in order, as one uncompressed magic-2 batch at base offset 0', () => {
    const batch = buildCoordinatorBatch(records, 1234);
    const info = readBatchAt(batch, 0);
    assert.equal(info.size, batch.length);
    assert.equal(info.baseOffset, 0);
    assert.equal(info.recordCount, records.length);
    assert.equal(info.compression, 0);
    assert.equal(info.baseTimestamp, 1234);
    assert.equal(info.producerId, -1);
    const decoded = decodeRecords(batch);
    assert.deepEqual(decoded[0]?.key, encodeCoordinatorRecord(records[0] as CoordinatorRecord).key);
    assert.equal(decoded[2]?.value, null);
    // The expiring offset comes back without its leader epoch (value v1 has none).
    const expected = records.map((r, i) =>
      i === 1 && r.type === 'offset' && r.value !== null ? { ...r, value: { ...r.value, leaderEpoch: -1 } } : r,
    );
    assert.deepEqual(readCoordinatorRecords(batch), expected);
  });

  test('an empty record list is refused', () => {
    assert.throws(() => buildCoordinatorBatch([], 0), RangeError);
  });

  test('concatenated batches are read in order; control batches and keyless records are skipped', () => {
    const control = buildRecordBatch({
      records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }],
      baseTimestamp: 0,
      isControl: true,
      isTransactional: true,
      producerId: 7,
      producerEpoch: 0,
      baseSequence: 0,
    });
    const keyless = buildRecordBatch({ records: [{ key: null, value: 'junk' }], baseTimestamp: 0 });
    const all = Buffer.concat([
      buildCoordinatorBatch(records.slice(0, 1), 1),
      control,
      keyless,
      buildCoordinatorBatch(records.slice(3), 2),
    ]);
    assert.deepEqual(readCoordinatorRecords(all), [records[0], ...records.slice(3)]);
    const lastOffsetOf = (b: Buffer): number => readBatchAt(b, 0).lastOffset;
    assert.equal(readCoordinatorBatches(all).nextOffset, lastOffsetOf(buildCoordinatorBatch(records.slice(3), 2)) + 1);
    assert.deepEqual(readCoordinatorBatches(Buffer.alloc(0)), { records: [], nextOffset: null });
  });

  test('nextOffset follows the last batch, control or not', () => {
    const at = (b: Buffer, base: number): Buffer => {
      const copy = Buffer.from(b);
      copy.writeBigInt64BE(BigInt(base), BATCH.BASE_OFFSET);
      return copy;
    };
    const control = buildRecordBatch({ records: [{ key: 'k', value: 'v' }], baseTimestamp: 0, isControl: true });
    const two = buildCoordinatorBatch(records.slice(0, 2), 1);
    assert.equal(readCoordinatorBatches(at(two, 40)).nextOffset, 42);
    assert.equal(readCoordinatorBatches(Buffer.concat([at(two, 40), at(control, 42)])).nextOffset, 43);
  });

  test('a gzip batch is inflated', () => {
    const plain = buildCoordinatorBatch([records[0] as CoordinatorRecord, records[3] as CoordinatorRecord], 5);
    const gz = gzipped(plain);
    assert.equal(readBatchAt(gz, 0).compression, 1);
    assert.deepEqual(readCoordinatorRecords(gz), [records[0], records[3]]);
  });

  test('other codecs, bad gzip, a bad CRC and a truncated batch throw CoordinatorRecordError', () => {
    const plain = buildCoordinatorBatch(records.slice(0, 1), 5);
    const snappy = markedCodec(plain, 2);
    assert.throws(() => readCoordinatorRecords(snappy), /codec 2; only gzip/);

    const badGzip = markedCodec(plain, 1);
    assert.throws(() => readCoordinatorRecords(badGzip), CoordinatorRecordError);

    const cut = Buffer.concat([plain.subarray(0, BATCH.RECORDS), gzipSync(plain.subarray(BATCH.RECORDS, -1))]);
    cut.writeInt32BE(cut.length - 12, BATCH.BATCH_LENGTH);
    cut.writeInt16BE(1, BATCH.ATTRIBUTES);
    writeCrc(cut, 0);
    assert.throws(() => readCoordinatorRecords(cut), CoordinatorRecordError);

    const badCrc = Buffer.from(plain);
    badCrc[badCrc.length - 1] = (badCrc[badCrc.length - 1] as number) ^ 0xff;
    assert.throws(() => readCoordinatorRecords(badCrc), /CRC/);

    assert.throws(() => readCoordinatorRecords(plain.subarray(0, plain.length - 1)), CoordinatorRecordError);
  });

  test('records are returned undecoded: an unknown key version or a garbled value does not fail the batch', () => {
    const odd = buildRecordBatch({
      records: [{ key: Buffer.from([0, 9, 0, 0]), value: null }, { key: Buffer.from([0, 1, 0]), value: 'x' }],
      baseTimestamp: 0,
    });
    assert.deepEqual(readCoordinatorBatches(odd).records, [
      { key: Buffer.from([0, 9, 0, 0]), value: null },
      { key: Buffer.from([0, 1, 0]), value: Buffer.from('x') },
    ]);
  });
});
