// Raw parts: large bins travel after the MessagePack envelope, as fragments of their own, and decode as views of
// what arrived; any split of the same bytes decodes the same; announced and carried bytes must agree.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Packr } from 'msgpackr';
import { decodeFrame, decodeMessage, encodeFrameParts, FRAME_VERSION, RAW_MIN_BYTES, RAW_REF_KEY } from '../../src/replication/frames.js';
import { PeerProtocolError } from '../../src/replication/peer-errors.js';

const plain = new Packr({ useRecords: false });

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

describe('frame raw parts', () => {
  const big = bytes(RAW_MIN_BYTES + 5, 1);
  const bigger = bytes(300_000, 2);
  const small = bytes(100, 3);
  const payload = { partitions: [{ partition: 0, records: big, hw: 7 }, { partition: 1, records: null }, { partition: 2, records: bigger }], note: small };
  const frame = { v: FRAME_VERSION, t: 'ReplicaFetch', id: 9, p: payload } as const;

  test('bins of RAW_MIN_BYTES or more are the parts themselves, not copies; smaller ones stay inside the envelope', () => {
    const parts = encodeFrameParts(frame);
    assert.equal(parts.length, 3);
    assert.equal(parts[1], big, 'the first raw part is the caller\'s Buffer');
    assert.equal(parts[2], bigger);
    const envelope = plain.unpack(parts[0] as Buffer) as Record<string, unknown>;
    assert.deepEqual(envelope['r'], [big.length, bigger.length]);
    const p = envelope['p'] as { partitions: { records: unknown }[]; note: Buffer };
    assert.deepEqual(p.partitions.map((x) => x.records), [{ [RAW_REF_KEY]: 0 }, null, { [RAW_REF_KEY]: 1 }]);
    assert.ok(small.equals(p.note));
    assert.equal(payload.partitions[0]?.records, big, 'the caller\'s payload is left as it was');
  });

  test('decoded from its fragments, raw parts are views of those fragments', () => {
    const parts = encodeFrameParts(frame);
    const decoded = decodeMessage(parts);
    assert.deepEqual(decoded, frame);
    const p = decoded.p as typeof payload;
    assert.equal(p.partitions[0]?.records?.buffer, big.buffer, 'no copy');
    assert.equal(p.partitions[2]?.records?.buffer, bigger.buffer, 'no copy');
  });

  test('the same bytes in one buffer, or split anywhere, decode to the same frame', () => {
    const whole = Buffer.concat(encodeFrameParts(frame));
    assert.deepEqual(decodeFrame(whole), frame);
    for (const cuts of [[1], [7, 20_000], [whole.length - 1], [50, 51, 52, 200_000]]) {
      const fragments: Buffer[] = [];
      let at = 0;
      for (const cut of [...cuts, whole.length]) {
        fragments.push(whole.subarray(at, cut));
        at = cut;
      }
      assert.deepEqual(decodeMessage(fragments), frame, `cut at ${cuts.join(',')}`);
    }
  });

  test('a frame without large bins is one part, the plain MessagePack map', () => {
    const parts = encodeFrameParts({ v: FRAME_VERSION, t: 'Heartbeat', p: { at: 1, blob: small } });
    assert.equal(parts.length, 1);
    assert.deepEqual(plain.unpack(parts[0] as Buffer), { v: 1, t: 'Heartbeat', p: { at: 1, blob: small } });
  });

  test('a payload that already uses the reserved key is refused when encoding', () => {
    assert.throws(() => encodeFrameParts({ v: FRAME_VERSION, t: 'x', p: { a: { [RAW_REF_KEY]: 0 } } }), /reserved/);
  });

  const envelopeOf = (r: unknown, p: unknown): Buffer => plain.pack({ v: 1, t: 'x', id: 1, r, p });
  /** An envelope whose p is a reference inside `depth` one-element arrays (written by hand: msgpackr's pack recurses). */
  const deepEnvelope = (depth: number): Buffer => {
    const head = plain.pack({ v: 1, t: 'x', id: 1, r: [2], p: 'PPPP' });
    const at = head.indexOf(plain.pack('PPPP'));
    return Buffer.concat([head.subarray(0, at), Buffer.alloc(depth, 0x91), plain.pack({ [RAW_REF_KEY]: 0 }), head.subarray(at + 5)]);
  };

  test('a reference a few thousand arrays deep still resolves', () => {
    const frame = decodeMessage([deepEnvelope(3000), Buffer.from([1, 2])]);
    let p: unknown = frame.p;
    for (let i = 0; i < 3000; i++) p = (p as unknown[])[0];
    assert.deepEqual(p, Buffer.from([1, 2]));
  });
  const invalid: [string, Buffer[]][] = [
    ['fewer raw bytes than announced', [envelopeOf([10], { a: { [RAW_REF_KEY]: 0 } }), Buffer.alloc(9)]],
    ['more raw bytes than announced', [envelopeOf([10], { a: { [RAW_REF_KEY]: 0 } }), Buffer.alloc(11)]],
    ['bytes after a frame that announces none', [plain.pack({ v: 1, t: 'x' }), Buffer.alloc(3)]],
    ['lengths that are not a list of sizes', [envelopeOf([-1], { a: { [RAW_REF_KEY]: 0 } })]],
    ['a reference to a part that is not there', [envelopeOf([2], { a: { [RAW_REF_KEY]: 1 } }), Buffer.alloc(2)]],
    ['a part referred to twice', [envelopeOf([2], { a: { [RAW_REF_KEY]: 0 }, b: { [RAW_REF_KEY]: 0 } }), Buffer.alloc(2)]],
    ['a part never referred to', [envelopeOf([2], { a: 1 }), Buffer.alloc(2)]],
    ['raw parts in a frame without a payload', [plain.pack({ v: 1, t: 'x', id: 1, r: [2] }), Buffer.alloc(2)]],
    ['a reference nested 50,000 arrays deep', [deepEnvelope(50_000), Buffer.alloc(2)]],
    ['no fragments', []],
  ];
  for (const [name, fragments] of invalid) {
    test(`rejects ${name} with PeerProtocolError`, () => {
      assert.throws(() => decodeMessage(fragments), PeerProtocolError);
    });
  }
});
