import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../../src/protocol/reader.js';
import {
  array, decode, encode, int16, int32, int64, message, nullableArray, nullableString, records, string, struct,
  tagged, uuid, withDefault, type Infer, ZERO_UUID,
} from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';

const demo = (flexible: boolean) => message(flexible, {
  name: string,
  note: nullableString,
  count: withDefault(int32, -1),
  offset: int64,
  ids: array(int16),
  maybe: nullableArray(struct({ id: uuid })),
  data: records,
  leaderEpoch: tagged(1, withDefault(int32, -1)),
  leader: tagged(0, struct({ leaderId: withDefault(int32, -1), epoch: int32 })),
});

const enc = (schema: ReturnType<typeof demo>, value: Parameters<typeof encode<ReturnType<typeof demo>>>[1]): Buffer => {
  const w = new Writer();
  encode(schema, value, w);
  return w.toBuffer();
};

describe('schema encoding', () => {
  test('non-flexible: classic lengths, tagged fields ignored, defaults for undefined', () => {
    const bytes = enc(demo(false), { name: 'ab', offset: 5, ids: [1], data: [Buffer.from([9]), Buffer.from([8])] });
    assert.deepEqual([...bytes], [
      0x00, 0x02, 0x61, 0x62, // name
      0xff, 0xff, // note null
      0xff, 0xff, 0xff, 0xff, // count default -1
      0, 0, 0, 0, 0, 0, 0, 5, // offset (number accepted for int64)
      0, 0, 0, 1, 0, 1, // ids [1]
      0xff, 0xff, 0xff, 0xff, // maybe null
      0, 0, 0, 2, 9, 8, // records: length then the chunks
    ]);
  });

  test('flexible: compact encodings, tagged section in tag order, defaults omitted', () => {
    const schema = demo(true);
    const bytes = enc(schema, {
      name: 'ab', note: 'c', count: 3, offset: 1n, ids: [], maybe: [{ id: ZERO_UUID }], data: null,
      leaderEpoch: 7, leader: { leaderId: 2, epoch: 1 },
    });
    assert.deepEqual([...bytes], [
      0x03, 0x61, 0x62, // compact name
      0x02, 0x63, // compact nullable note
      0, 0, 0, 3,
      0, 0, 0, 0, 0, 0, 0, 1,
      0x01, // ids: empty compact array
      0x02, ...new Array<number>(16).fill(0), 0x00, // maybe: 1 struct, uuid, its empty tag section
      0x00, // data null
      0x02, // two tagged fields
      0x00, 0x09, 0, 0, 0, 2, 0, 0, 0, 1, 0x00, // tag 0: struct (8 bytes + its own tag section)
      0x01, 0x04, 0, 0, 0, 7, // tag 1: int32
    ]);
    const decoded = decode(schema, new Reader(bytes));
    assert.equal(decoded.leaderEpoch, 7);
    assert.deepEqual(decoded.leader, { leaderId: 2, epoch: 1 });
    assert.equal(decoded.offset, 1n);

    const withDefaults = enc(schema, { name: 'ab', leaderEpoch: -1, leader: { leaderId: -1, epoch: 0 } });
    assert.equal(withDefaults.at(-1), 0x00, 'tagged fields equal to their defaults are not written');
    const back: Infer<typeof schema> = decode(schema, new Reader(withDefaults));
    assert.equal(back.leaderEpoch, -1);
    assert.deepEqual(back.leader, { leaderId: -1, epoch: 0 });
    assert.equal(back.maybe, null);
  });

  test('unknown tags are skipped on decode', () => {
    const schema = message(true, { a: int16, t: tagged(3, int16) });
    const bytes = Buffer.from([0x00, 0x05, 0x02, 0x01, 0x02, 0xde, 0xad, 0x03, 0x02, 0x00, 0x09]);
    assert.deepEqual(decode(schema, new Reader(bytes)), { a: 5, t: 9 });
  });

  test('records decode as a zero-copy view of the frame', () => {
    const schema = message(false, { data: records });
    const frame = Buffer.from([0, 0, 0, 3, 1, 2, 3]);
    const { data } = decode(schema, new Reader(frame));
    assert.ok(data !== null);
    assert.equal(data.buffer, frame.buffer);
    assert.equal(data.byteOffset, frame.byteOffset + 4);
  });

  test('large records are referenced, not copied, by the writer', () => {
    const schema = message(false, { data: records });
    const batch = Buffer.alloc(4096, 1);
    const w = new Writer();
    encode(schema, { data: batch }, w);
    assert.ok(w.chunks().includes(batch));
  });
});
