import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Packr } from 'msgpackr';
import { decodeFrame, encodeFrame, FRAME_VERSION } from '../../src/replication/frames.js';
import { PeerProtocolError } from '../../src/replication/peer-errors.js';

const plain = new Packr({ useRecords: false });

describe('frames', () => {
  test('round trip keeps plain objects, numbers and strings', () => {
    const payload = { controllerId: 1, controllerEpoch: 7, partitions: [{ topic: 'tö', partition: 3, isr: [1, 2], offset: 2 ** 40 }] };
    const frame = decodeFrame(encodeFrame({ v: FRAME_VERSION, t: 'LeaderAndIsr', id: 42, p: payload }));
    assert.deepEqual(frame, { v: 1, t: 'LeaderAndIsr', id: 42, p: payload });
    assert.equal(Object.getPrototypeOf(frame.p), Object.prototype);
  });

  test('binary payloads decode as Buffers that view the received message (no copy)', () => {
    const records = Buffer.alloc(4096);
    for (let i = 0; i < records.length; i++) records[i] = (i * 31) & 0xff;
    const encoded = encodeFrame({ v: FRAME_VERSION, t: 'Fetch', id: 1, p: { batches: [records, new Uint8Array([9, 8])] } });
    const p = decodeFrame(encoded).p as { batches: Buffer[] };
    const [first, second] = p.batches;
    assert.ok(Buffer.isBuffer(first) && Buffer.isBuffer(second));
    assert.ok(first.equals(records));
    assert.deepEqual([...second], [9, 8]);
    assert.equal(first.buffer, encoded.buffer, 'decoded bin must share the message memory');
    // the record bytes lie inside the encoded frame
    assert.ok(first.byteOffset >= encoded.byteOffset && first.byteOffset + first.length <= encoded.byteOffset + encoded.length);
  });

  test('undefined fields are left out; errors round trip', () => {
    const encoded = encodeFrame({ v: FRAME_VERSION, t: 'x', id: 5, err: { code: 'NOT_CONTROLLER', message: 'no' } });
    assert.deepEqual(plain.unpack(encoded), { v: 1, t: 'x', id: 5, err: { code: 'NOT_CONTROLLER', message: 'no' } });
    assert.deepEqual(decodeFrame(encoded).err, { code: 'NOT_CONTROLLER', message: 'no' });
    assert.deepEqual(plain.unpack(encodeFrame({ v: FRAME_VERSION, t: 'push' })), { v: 1, t: 'push' });
  });

  test('an earlier result stays intact after later encodes', () => {
    const a = encodeFrame({ v: FRAME_VERSION, t: 'a', p: Buffer.alloc(100, 1) });
    const copy = Buffer.from(a);
    for (let i = 0; i < 1000; i++) encodeFrame({ v: FRAME_VERSION, t: 'b', p: Buffer.alloc(100, 2) });
    assert.ok(a.equals(copy));
  });

  const invalid: [string, Buffer][] = [
    ['random bytes', Buffer.from('c1e7a9035b3d8f00ff11', 'hex')],
    ['truncated', encodeFrame({ v: FRAME_VERSION, t: 'x', p: 'long enough' }).subarray(0, 6)],
    ['trailing bytes', Buffer.concat([encodeFrame({ v: FRAME_VERSION, t: 'x' }), Buffer.from([0])])],
    ['not a map', plain.pack([1, 'x'])],
    ['a number', plain.pack(12)],
    ['wrong version', plain.pack({ v: 2, t: 'x' })],
    ['no version', plain.pack({ t: 'x' })],
    ['no type', plain.pack({ v: 1, id: 1 })],
    ['empty type', plain.pack({ v: 1, t: '' })],
    ['negative id', plain.pack({ v: 1, t: 'x', id: -1 })],
    ['fractional id', plain.pack({ v: 1, t: 'x', id: 1.5 })],
    ['string id', plain.pack({ v: 1, t: 'x', id: '1' })],
    ['err without message', plain.pack({ v: 1, t: 'x', id: 1, err: { code: 'X' } })],
    ['empty input', Buffer.alloc(0)],
  ];
  for (const [name, bytes] of invalid) {
    test(`rejects ${name} with PeerProtocolError`, () => {
      assert.throws(() => decodeFrame(bytes), PeerProtocolError);
    });
  }
});
