import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { ManualClock, systemClock } from '../../src/util/clock.js';
import type { Clock } from '../../src/util/clock.js';
import { Dispatcher } from '../../src/server/dispatcher.js';
import { NO_RESPONSE } from '../../src/server/handler.js';
import type { RequestHandler } from '../../src/server/handler.js';
import type { RequestContext } from '../../src/server/request-context.js';
import { SocketServer } from '../../src/server/socket-server.js';
import type { SocketServerOptions } from '../../src/server/socket-server.js';
import { captureLogger, heartbeatV0Body, parseApiVersionsV0, requestFrame, sleep, splitResponse, WireClient } from './wire.js';
import type { CapturedLog } from './wire.js';

interface Blocked {
  readonly memberId: string;
  readonly ctx: RequestContext;
  readonly release: (errorCode: number) => void;
}

/**
 * Heartbeat v0 handler that parks every request until the test releases it, so completion order is chosen
 * by the test. memberId 'silent' answers NO_RESPONSE (like Produce acks=0).
 */
class ParkingHeartbeat implements RequestHandler<{ memberId: string }, { errorCode: number }> {
  readonly apiKey = 12;
  readonly minVersion = 0;
  readonly maxVersion = 0;
  readonly parked: Blocked[] = [];
  #onPark: (() => void) | undefined;

  handle(ctx: RequestContext, request: { memberId: string }): Promise<{ errorCode: number } | typeof NO_RESPONSE> {
    return new Promise((resolve) => {
      this.parked.push({
        memberId: request.memberId,
        ctx,
        release: (errorCode) => resolve(request.memberId === 'silent' ? NO_RESPONSE : { errorCode }),
      });
      this.#onPark?.();
    });
  }

  async waitParked(count: number): Promise<void> {
    while (this.parked.length < count) {
      await new Promise<void>((resolve) => {
        this.#onPark = resolve;
      });
    }
  }

  release(memberId: string, errorCode: number): void {
    const i = this.parked.findIndex((b) => b.memberId === memberId);
    const [blocked] = this.parked.splice(i, 1);
    assert.ok(i >= 0 && blocked !== undefined, `no parked request for ${memberId}`);
    blocked.release(errorCode);
  }
}

const heartbeat = (correlationId: number, memberId: string): Buffer =>
  requestFrame({ apiKey: 12, apiVersion: 0, correlationId, body: heartbeatV0Body('group', 1, memberId) });
const apiVersionsV0 = (correlationId: number): Buffer =>
  requestFrame({ apiKey: 18, apiVersion: 0, correlationId, body: Buffer.alloc(0) });

interface Harness {
  server: SocketServer;
  port: number;
  heartbeat: ParkingHeartbeat;
  entries: CapturedLog[];
}

async function startServer(overrides: Partial<SocketServerOptions> & { clock?: Clock } = {}): Promise<Harness> {
  const { logger, entries } = captureLogger();
  const hb = new ParkingHeartbeat();
  const clock = overrides.clock ?? systemClock;
  const server = new SocketServer({
    listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' }],
    dispatcher: new Dispatcher({ handlers: [hb], logger, clock }),
    logger,
    clock,
    maxRequestBytes: 1024 * 1024,
    ...overrides,
  });
  const [bound] = await server.start();
  assert.ok(bound !== undefined && bound.port > 0);
  return { server, port: bound.port, heartbeat: hb, entries };
}

/** ApiVersions v0 round trip on a fresh connection: the server still serves. */
async function assertServing(port: number): Promise<void> {
  const client = await WireClient.connect(port);
  client.socket.write(apiVersionsV0(77));
  const [frame] = await client.waitForFrames(1);
  assert.ok(frame !== undefined);
  assert.equal(splitResponse(frame).correlationId, 77);
  assert.equal(parseApiVersionsV0(splitResponse(frame).rest).errorCode, 0);
  client.destroy();
}

describe('SocketServer with a real socket', () => {
  let h: Harness;
  before(async () => {
    h = await startServer();
  });
  after(async () => {
    await h.server.stop();
  });

  test('pipelined requests are answered in request order although handlers finish in reverse', async () => {
    const client = await WireClient.connect(h.port);
    client.socket.write(Buffer.concat([heartbeat(1, 'a'), heartbeat(2, 'b'), apiVersionsV0(3), heartbeat(4, 'c')]));
    await h.heartbeat.waitParked(3);
    h.heartbeat.release('c', 14);
    h.heartbeat.release('b', 13);
    await sleep(30);
    assert.equal(client.frames.length, 0, 'nothing may overtake the first request');
    h.heartbeat.release('a', 12);
    const frames = (await client.waitForFrames(4)).map(splitResponse);
    assert.deepEqual(
      frames.map((f) => f.correlationId),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      [frames[0], frames[1], frames[3]].map((f) => f?.rest.readInt16BE(0)),
      [12, 13, 14],
    );
    client.destroy();
  });

  test('a request answered with NO_RESPONSE takes no place in the response order', async () => {
    const client = await WireClient.connect(h.port);
    client.socket.write(Buffer.concat([heartbeat(1, 'x'), heartbeat(2, 'silent'), heartbeat(3, 'y')]));
    await h.heartbeat.waitParked(3);
    h.heartbeat.release('y', 0);
    h.heartbeat.release('silent', 0);
    h.heartbeat.release('x', 0);
    const frames = await client.waitForFrames(2);
    await sleep(30);
    assert.deepEqual(
      frames.map((f) => splitResponse(f).correlationId),
      [1, 3],
    );
    assert.equal(client.frames.length, 2);
    client.destroy();
  });

  test('a frame split across many writes is reassembled', async () => {
    const client = await WireClient.connect(h.port);
    const bytes = apiVersionsV0(5);
    for (const b of bytes) {
      client.socket.write(Buffer.from([b]));
      await sleep(1);
    }
    const [frame] = await client.waitForFrames(1);
    assert.equal(frame?.readInt32BE(0), 5);
    client.destroy();
  });

  test('unknown api key closes that connection with a log line; another connection keeps being answered', async () => {
    const other = await WireClient.connect(h.port);
    other.socket.write(apiVersionsV0(1));
    await other.waitForFrames(1);
    const bad = await WireClient.connect(h.port);
    bad.socket.write(requestFrame({ apiKey: 4242, apiVersion: 0, correlationId: 9, body: Buffer.alloc(8) }));
    assert.equal(await bad.closedWithin(2000), true);
    assert.equal(bad.frames.length, 0);
    const line = h.entries.find((e) => e.level === 'warn' && e['apiKey'] === 4242);
    assert.ok(line, 'a warning names the api key');
    assert.equal(line['correlationId'], 9);
    assert.match(String(line['clientAddress']), /^127\.0\.0\.1:\d+$/);
    other.socket.write(apiVersionsV0(2));
    const frames = await other.waitForFrames(2);
    assert.equal(splitResponse(frames[1] ?? Buffer.alloc(4)).correlationId, 2);
    other.destroy();
  });

  test('random bytes close the connection', async () => {
    const client = await WireClient.connect(h.port);
    const junk = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 151 + 7) % 256));
    junk.writeInt32BE(60, 0); // a plausible size, then garbage header and body
    junk.writeInt16BE(-3, 4);
    client.socket.write(junk);
    assert.equal(await client.closedWithin(2000), true);
    await assertServing(h.port);
  });

  test('a truncated frame followed by the client closing its side: the server closes too', async () => {
    const client = await WireClient.connect(h.port);
    client.socket.end(apiVersionsV0(1).subarray(0, 9));
    assert.equal(await client.closedWithin(2000), true);
    assert.equal(client.frames.length, 0);
    await assertServing(h.port);
  });

  test('a 2 GB size prefix closes the connection at once, before any payload is buffered', async () => {
    const client = await WireClient.connect(h.port);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(0x7fffffff, 0);
    const started = Date.now();
    client.socket.write(prefix); // only the prefix: the server must not wait for (or buffer) the 2 GB
    assert.equal(await client.closedWithin(2000), true);
    assert.ok(Date.now() - started < 2000);
    const line = h.entries.find((e) => e.level === 'warn' && e['size'] === 0x7fffffff);
    assert.ok(line, 'warning with the size');
    assert.match(String(line['clientAddress']), /^127\.0\.0\.1:\d+$/);
    assert.equal(line['maxRequestBytes'], 1024 * 1024);
    const negative = await WireClient.connect(h.port);
    negative.socket.write(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    assert.equal(await negative.closedWithin(2000), true);
    await assertServing(h.port);
  });

  test('HTTP GET on the Kafka port gets 404', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: h.port, path: '/metrics' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 404);
    assert.equal(h.server.connectionCount(), 0, 'HTTP sockets are not Kafka connections');
  });

  test('a client closing its side closes the connection and aborts the signal of requests in flight', async () => {
    const client = await WireClient.connect(h.port);
    client.socket.write(heartbeat(1, 'waiting'));
    await h.heartbeat.waitParked(1);
    const parked = h.heartbeat.parked[0];
    assert.ok(parked);
    assert.equal(parked.ctx.signal.aborted, false);
    assert.equal(parked.ctx.listenerName, 'PLAINTEXT');
    assert.equal(parked.ctx.clientAddress, `127.0.0.1:${client.socket.localPort ?? 0}`);
    const aborted = new Promise<void>((resolve) => parked.ctx.signal.addEventListener('abort', () => resolve()));
    client.socket.end();
    await aborted;
    assert.equal(await client.closedWithin(1000), true);
    h.heartbeat.release('waiting', 0); // answering a closed connection is harmless
    await assertServing(h.port);
  });

  test('connectionCount follows Kafka connections', async () => {
    const a = await WireClient.connect(h.port);
    a.socket.write(apiVersionsV0(1));
    await a.waitForFrames(1);
    assert.equal(h.server.connectionCount(), 1);
    a.destroy();
    await sleep(50);
    assert.equal(h.server.connectionCount(), 0);
  });
});

describe('SocketServer HTTP upgrade', () => {
  test('GET /streamkeeper/peer with an Upgrade header reaches onHttpUpgrade, even sent byte by byte', async () => {
    const upgrades: { url: string | undefined; upgrade: string | undefined }[] = [];
    const h = await startServer({
      onHttpUpgrade: (req, socket) => {
        upgrades.push({ url: req.url, upgrade: req.headers.upgrade });
        socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: test\r\nConnection: Upgrade\r\n\r\n');
      },
    });
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = netConnect(h.port, '127.0.0.1');
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      const request = 'GET /streamkeeper/peer HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: test\r\n\r\n';
      void (async () => {
        socket.write(request.slice(0, 2));
        await sleep(20);
        socket.write(request.slice(2));
      })();
    });
    assert.match(answer, /^HTTP\/1\.1 101 /);
    assert.deepEqual(upgrades, [{ url: '/streamkeeper/peer', upgrade: 'test' }]);
    await h.server.stop();
  });

  test('onHttpRequest replaces the 404', async () => {
    const h = await startServer({
      onHttpRequest: (req, res) => {
        res.end(`hello ${req.url ?? ''}`);
      },
    });
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: h.port, path: '/ui' }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(body, 'hello /ui');
    await h.server.stop();
  });
});

describe('SocketServer lifecycle and limits', () => {
  test('stop() closes open connections and stops accepting', async () => {
    const h = await startServer();
    const client = await WireClient.connect(h.port);
    client.socket.write(apiVersionsV0(1));
    await client.waitForFrames(1);
    await h.server.stop();
    assert.equal(await client.closedWithin(1000), true);
    assert.equal(h.server.connectionCount(), 0);
    await assert.rejects(WireClient.connect(h.port));
  });

  test('idle connections close after connections.max.idle.ms on the injected clock', async () => {
    const clock = new ManualClock();
    const h = await startServer({ clock, connectionsMaxIdleMs: 600_000 });
    const client = await WireClient.connect(h.port);
    client.socket.write(apiVersionsV0(1));
    await client.waitForFrames(1);
    clock.advance(599_000);
    assert.equal(await client.closedWithin(50), false);
    client.socket.write(apiVersionsV0(2));
    await client.waitForFrames(2);
    clock.advance(1_000); // the first check finds recent activity and reschedules
    assert.equal(await client.closedWithin(50), false);
    clock.advance(600_000);
    assert.equal(await client.closedWithin(1000), true);
    await h.server.stop();
  });

  test('no more than maxInFlightRequests are read while handlers are busy', async () => {
    const h = await startServer({ maxInFlightRequests: 2 });
    const client = await WireClient.connect(h.port);
    for (let i = 1; i <= 5; i++) {
      client.socket.write(heartbeat(i, `m${i}`));
      await sleep(15);
    }
    await sleep(50);
    assert.equal(h.heartbeat.parked.length, 2, 'reading paused at two requests in flight');
    for (let i = 1; i <= 5; i++) {
      await h.heartbeat.waitParked(1);
      h.heartbeat.release(`m${i}`, 0);
    }
    const frames = await client.waitForFrames(5);
    assert.deepEqual(
      frames.map((f) => splitResponse(f).correlationId),
      [1, 2, 3, 4, 5],
    );
    client.destroy();
    await h.server.stop();
  });

  test('reading stops while unsent response bytes are above the high-water mark', async () => {
    const { logger } = captureLogger();
    let calls = 0;
    const bigName = 'x'.repeat(1000);
    const bigMetadata: RequestHandler = {
      apiKey: 3,
      minVersion: 0,
      maxVersion: 0,
      handle: () => {
        calls++;
        // about 4 MB per response
        const topics = Array.from({ length: 4000 }, () => ({ errorCode: 0, name: bigName, partitions: [] }));
        return { brokers: [], topics };
      },
    };
    const server = new SocketServer({
      listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' }],
      dispatcher: new Dispatcher({ handlers: [bigMetadata], logger, clock: systemClock }),
      logger,
      clock: systemClock,
      maxRequestBytes: 1024 * 1024,
      writeHighWaterMark: 64 * 1024,
    });
    const [bound] = await server.start();
    const client = await WireClient.connect(bound?.port ?? 0);
    client.socket.pause(); // a client that does not read its responses
    const metadataV0 = (correlationId: number): Buffer =>
      requestFrame({ apiKey: 3, apiVersion: 0, correlationId, body: Buffer.from([0, 0, 0, 0]) });
    for (let i = 1; i <= 8; i++) {
      client.socket.write(metadataV0(i));
      await sleep(20);
    }
    await sleep(100);
    assert.ok(calls < 8, `${calls} of 8 requests were read although 32 MB waited to be sent`);
    client.socket.resume();
    const frames = await client.waitForFrames(8, 10_000);
    assert.equal(calls, 8);
    assert.deepEqual(
      frames.map((f) => splitResponse(f).correlationId),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    client.destroy();
    await server.stop();
  });

  test('a socket.request.max.bytes that would read HTTP as a frame size is refused', () => {
    const { logger } = captureLogger();
    assert.throws(
      () =>
        new SocketServer({
          listeners: [],
          dispatcher: new Dispatcher({ handlers: [], logger, clock: systemClock }),
          logger,
          clock: systemClock,
          maxRequestBytes: 0x7fffffff,
        }),
      /HTTP/,
    );
  });

  test('listeners other than PLAINTEXT are refused: no TLS, and no SASL that would let unauthenticated clients in', () => {
    const { logger } = captureLogger();
    for (const securityProtocol of ['SSL', 'SASL_SSL', 'SASL_PLAINTEXT']) {
      assert.throws(
        () =>
          new SocketServer({
            listeners: [{ name: 'X', host: '127.0.0.1', port: 0, securityProtocol }],
            dispatcher: new Dispatcher({ handlers: [], logger, clock: systemClock }),
            logger,
            clock: systemClock,
            maxRequestBytes: 1 << 20,
          }),
        new RegExp(`${securityProtocol} is not supported`),
      );
    }
  });
});
