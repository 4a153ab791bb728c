import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolError } from '../../src/protocol/errors.js';
import { Reader } from '../../src/protocol/reader.js';
import { Writer, ZERO_COPY_THRESHOLD, uvarintSize, varintSize } from '../../src/protocol/writer.js';

const bytesOf = (fn: (w: Writer) => void): Buffer => {
  const w = new Writer();
  fn(w);
  return w.toBuffer();
};

describe('varints', () => {
  test('unsigned varint encodings at the 7-bit boundaries', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0x00]],
      [1, [0x01]],
      [127, [0x7f]],
      [128, [0x80, 0x01]],
      [300, [0xac, 0x02]],
      [16383, [0xff, 0x7f]],
      [16384, [0x80, 0x80, 0x01]],
      [0xffffffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [v, expected] of cases) {
      const b = bytesOf((w) => w.uvarint(v));
      assert.deepEqual([...b], expected, `uvarint ${v}`);
      assert.equal(uvarintSize(v), expected.length);
      assert.equal(new Reader(b).uvarint(), v);
    }
  });

  test('zig-zag varint: small magnitudes stay short, int32 extremes round trip', () => {
    const cases: Array<[number, number[]]> = [
      [0, [0x00]],
      [-1, [0x01]],
      [1, [0x02]],
      [-64, [0x7f]],
      [64, [0x80, 0x01]],
      [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
      [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [v, expected] of cases) {
      const b = bytesOf((w) => w.varint(v));
      assert.deepEqual([...b], expected, `varint ${v}`);
      assert.equal(varintSize(v), expected.length);
      assert.equal(new Reader(b).varint(), v);
    }
  });

  test('zig-zag varlong round trips int64 extremes', () => {
    for (const v of [0n, -1n, 1n, 1700000000000n, -(2n ** 63n), 2n ** 63n - 1n]) {
      const b = bytesOf((w) => w.varlong(v));
      assert.equal(new Reader(b).varlong(), v);
    }
    assert.deepEqual([...bytesOf((w) => w.varlong(-(2n ** 63n)))], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    assert.deepEqual([...bytesOf((w) => w.varlong(150))], [0xac, 0x02]);
  });

  test('overlong or truncated varints are rejected', () => {
    assert.throws(() => new Reader(Buffer.from([0x80, 0x80])).uvarint(), ProtocolError);
    assert.throws(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).uvarint(), ProtocolError);
    assert.throws(() => new Writer().uvarint(-1), RangeError);
  });
});

describe('Reader', () => {
  test('reading past the end throws ProtocolError', () => {
    const r = new Reader(Buffer.from([0, 1, 2]));
    assert.equal(r.int16(), 1);
    assert.throws(() => r.int16(), (e: unknown) => e instanceof ProtocolError && e.kind === 'INVALID_REQUEST');
  });

  test('classic and compact nullable strings, bytes and arrays', () => {
    const b = Buffer.from([0xff, 0xff, 0x00, 0x02, 0x68, 0x69, 0x00, 0x03, 0x68, 0x69, 0xff, 0xff, 0xff, 0xff, 0x00]);
    const r = new Reader(b);
    assert.equal(r.nullableString(), null);
    assert.equal(r.string(), 'hi');
    assert.equal(r.compactNullableString(), null);
    assert.equal(r.compactString(), 'hi');
    assert.equal(r.nullableArray((x) => x.int8()), null);
    assert.equal(r.compactNullableBytes(), null);
    assert.equal(r.remaining, 0);
  });

  test('an array count larger than the remaining bytes is rejected before allocating', () => {
    const r = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0x00]));
    assert.throws(() => r.array((x) => x.int8()), ProtocolError);
  });

  test('bytes are zero-copy views; uuid is canonical text', () => {
    const src = Buffer.from([0, 0, 0, 2, 9, 8, ...Array.from({ length: 16 }, (_, i) => i)]);
    const r = new Reader(src);
    const view = r.bytes();
    assert.equal(view.buffer, src.buffer);
    assert.deepEqual([...view], [9, 8]);
    assert.equal(r.uuid(), '00010203-0405-0607-0809-0a0b0c0d0e0f');
  });

  test('tagged fields: unknown tags are skipped, known ones read from a bounded sub-reader', () => {
    // 2 fields: tag 1 size 2 [0xaa 0xbb]; tag 5 size 1 [0x07]; then a trailing int8
    const r = new Reader(Buffer.from([0x02, 0x01, 0x02, 0xaa, 0xbb, 0x05, 0x01, 0x07, 0x63]));
    const seen: Array<[number, number]> = [];
    r.taggedFields((tag, sub) => {
      if (tag === 5) seen.push([tag, sub.int8()]);
    });
    assert.deepEqual(seen, [[5, 7]]);
    assert.equal(r.int8(), 0x63);
  });
});

describe('Writer', () => {
  test('large raw buffers are appended by reference, small ones copied', () => {
    const big = Buffer.alloc(ZERO_COPY_THRESHOLD, 1);
    const small = Buffer.alloc(10, 2);
    const w = new Writer();
    w.int32(7).raw(big).raw(small).int8(3);
    const chunks = w.chunks();
    assert.equal(chunks.length, 3);
    assert.equal(chunks[1], big);
    assert.notEqual(chunks[2]?.buffer, small.buffer);
    assert.equal(w.length, 4 + big.length + 10 + 1);
    assert.equal(Buffer.concat(chunks).length, w.length);
  });

  test('reserveInt32 back-patches a length prefix across scratch growth and zero-copy chunks', () => {
    const w = new Writer(8);
    const slot = w.reserveInt32();
    for (let i = 0; i < 100; i++) w.int32(i);
    w.raw(Buffer.alloc(2000, 5));
    w.fillInt32(slot, w.length - slot.end);
    const all = w.toBuffer();
    assert.equal(all.readInt32BE(0), all.length - 4);
    assert.equal(all.readInt32BE(4 + 99 * 4), 99);
  });

  test('fields that straddle a scratch-buffer boundary land in the new buffer', () => {
    const w = new Writer(8);
    w.int32(1).int64(2n).int16(3).int64(-4n).uuid('00010203-0405-0607-0809-0a0b0c0d0e0f').int32(5);
    const r = new Reader(w.toBuffer());
    assert.deepEqual([r.int32(), r.int64(), r.int16(), r.int64(), r.uuid(), r.int32()],
      [1, 2n, 3, -4n, '00010203-0405-0607-0809-0a0b0c0d0e0f', 5]);
  });

  test('strings measure UTF-8 bytes', () => {
    const b = bytesOf((w) => w.nullableString('é').compactNullableString('é').nullableString(null));
    assert.deepEqual([...b], [0x00, 0x02, 0xc3, 0xa9, 0x03, 0xc3, 0xa9, 0xff, 0xff]);
  });
});
