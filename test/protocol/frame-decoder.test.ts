import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameTooLargeError, ProtocolError } from '../../src/protocol/errors.js';
import { FrameDecoder } from '../../src/protocol/frame-decoder.js';
import { cat, i32 } from './bytes.js';

const frameOf = (payload: Buffer): Buffer => cat(i32(payload.length), payload);

describe('FrameDecoder', () => {
  test('frames split at every byte boundary are reassembled exactly', () => {
    const a = Buffer.from('first frame');
    const b = Buffer.from('second');
    const stream = cat(frameOf(a), frameOf(b), frameOf(Buffer.alloc(0)));
    for (let cut = 1; cut < stream.length; cut++) {
      const d = new FrameDecoder(1024);
      const frames = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      assert.deepEqual(frames, [a, b, Buffer.alloc(0)], `cut at ${cut}`);
      assert.equal(d.bufferedBytes, 0);
    }
    const d = new FrameDecoder(1024);
    const frames: Buffer[] = [];
    for (const byte of stream) frames.push(...d.push(Buffer.from([byte])));
    assert.deepEqual(frames, [a, b, Buffer.alloc(0)]);
  });

  test('a frame inside one chunk is returned without copying; a partial one waits', () => {
    const chunk = cat(frameOf(Buffer.from('abc')), i32(10), Buffer.from('xy'));
    const d = new FrameDecoder(100);
    const [frame] = d.push(chunk);
    assert.equal(frame?.buffer, chunk.buffer);
    assert.equal(d.bufferedBytes, 2);
    assert.deepEqual(d.push(Buffer.from('12345678')), [Buffer.from('xy12345678')]);
  });

  test('an oversized prefix (2 GB) is rejected as soon as the 4 bytes arrive, before buffering', () => {
    const d = new FrameDecoder(100 * 1024 * 1024);
    assert.deepEqual(d.push(Buffer.from([0x7f, 0xff])), []);
    assert.throws(() => d.push(Buffer.from([0xff, 0xff, 1, 2, 3])), (e: unknown) => {
      assert.ok(e instanceof FrameTooLargeError);
      assert.ok(e instanceof ProtocolError);
      assert.equal(e.size, 0x7fffffff);
      return true;
    });
    assert.equal(d.bufferedBytes, 0);
  });

  test('a frame exactly at the limit is accepted, one byte more is not', () => {
    assert.equal(new FrameDecoder(3).push(frameOf(Buffer.from('abc'))).length, 1);
    assert.throws(() => new FrameDecoder(3).push(i32(4)), FrameTooLargeError);
  });

  test('a negative size is rejected', () => {
    assert.throws(() => new FrameDecoder(1024).push(i32(-1)), (e: unknown) => e instanceof FrameTooLargeError && e.size === -1);
  });
});
