import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DirectFrameReader } from '../../src/cli/perf/direct-frame-reader.js';
import { prepareRequest, RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';
import { FrameTooLargeError } from '../../src/protocol/errors.js';

function framed(payload: Buffer): Buffer {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}

/** Feeds `bytes` the way a socket's onread would, at most `readSize` bytes into each buffer the reader gives. */
function feed(reader: DirectFrameReader, bytes: Buffer, readSize: number): { frames: Buffer[]; targets: Buffer[] } {
  const frames: Buffer[] = [];
  const targets: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const target = reader.nextBuffer();
    assert.ok(target.length > 0, 'the reader never offers an empty buffer');
    const n = Math.min(readSize, target.length, bytes.length - at);
    bytes.copy(target, 0, at, at + n);
    at += n;
    targets.push(target);
    frames.push(...reader.read(n));
  }
  return { frames, targets };
}

describe('DirectFrameReader', () => {
  const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(5000, 1), Buffer.from('tail'), Buffer.alloc(300_000, 7), Buffer.from([1, 2, 3])];
  const stream = Buffer.concat(payloads.map(framed));

  for (const readSize of [1, 3, 7, 4096, 65_536, 1 << 20]) {
    test(`returns every frame intact, in order, whatever the read size (${readSize})`, () => {
      const { frames } = feed(new DirectFrameReader(1 << 20, 64), stream, readSize);
      assert.deepEqual(frames, payloads);
    });
  }

  test('a frame that did not arrive whole is read straight into its own buffer, not the scratch', () => {
    const reader = new DirectFrameReader(1 << 20, 64);
    const big = Buffer.alloc(10_000, 9);
    const { frames, targets } = feed(reader, framed(big), 4096);
    assert.equal(frames.length, 1);
    const frame = frames[0] as Buffer;
    assert.deepEqual(frame, big);
    // After the first read into the scratch, every read went into the frame's own memory, at the next free byte.
    for (const t of targets.slice(1)) assert.equal(t.buffer, frame.buffer, 'read into the frame itself');
    assert.equal(targets.length, 1 + Math.ceil((10_000 - 60) / 4096));
  });

  test('a size above the limit or below zero is refused before anything is buffered', () => {
    const tooBig = Buffer.alloc(4);
    tooBig.writeInt32BE(1025, 0);
    assert.throws(() => feed(new DirectFrameReader(1024, 64), tooBig, 4), FrameTooLargeError);
    const negative = Buffer.alloc(4);
    negative.writeInt32BE(-1, 0);
    assert.throws(() => feed(new DirectFrameReader(1024, 64), negative, 4), FrameTooLargeError);
  });
});

describe('RawKafkaClient reads responses through DirectFrameReader', () => {
  // A broker that answers every request with a frame of `size` bytes, the correlation id first, in small writes.
  const size = 3 * 1024 * 1024 + 17;
  const broker = net.createServer((s) => {
    let pending = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const id = pending.readInt32BE(8);
        pending = pending.subarray(4 + pending.readInt32BE(0));
        const body = Buffer.alloc(size, id & 0xff);
        body.writeInt32BE(id, 0);
        const whole = framed(body);
        for (let at = 0; at < whole.length; at += 10_000) s.write(whole.subarray(at, at + 10_000));
      }
    });
  });
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    port = (broker.address() as net.AddressInfo).port;
  });
  after(() => broker.close());

  test('pipelined large responses reach their own requests, whole', async () => {
    const client = await RawKafkaClient.connect(port);
    try {
      const request = prepareRequest(18, 0, {});
      const frames = await Promise.all(Array.from({ length: 4 }, async () => await client.send(request, { timeoutMs: 10_000 })));
      for (const frame of frames) {
        const id = frame.readInt32BE(0);
        assert.equal(frame.length, size);
        assert.equal(frame[size - 1], id & 0xff, `response ${id} is its own bytes to the end`);
      }
      assert.deepEqual(frames.map((f) => f.readInt32BE(0)).sort(), [1, 2, 3, 4]);
    } finally {
      client.close();
    }
  });
});
