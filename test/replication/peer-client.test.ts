import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../src/util/clock.js';
import { ManualClock, systemClock } from '../../src/util/clock.js';
import { AuthFrameType, newNonce } from '../../src/replication/auth.js';
import { decodeFrame, encodeFrame, FRAME_VERSION, PEER_PATH } from '../../src/replication/frames.js';
import { PeerClient } from '../../src/replication/peer-client.js';
import type { PeerClientOptions } from '../../src/replication/peer-client.js';
import { PeerUnavailableError } from '../../src/replication/peer-errors.js';
import { captureLogger, CLUSTER_ID, deferred, SECRET, startServer, waitUntil } from './helpers.js';

function client(url: string, extra: Partial<PeerClientOptions> & { clock?: Clock } = {}): PeerClient {
  return new PeerClient({
    url,
    brokerId: 2,
    clusterId: CLUSTER_ID,
    secret: SECRET,
    logger: captureLogger().logger,
    clock: systemClock,
    requestTimeoutMs: 5_000,
    ...extra,
  });
}

describe('PeerClient', () => {
  test('a 1 MiB Buffer arrives byte-identical, as a Buffer, both ways', async () => {
    const server = await startServer();
    let received: unknown;
    server.peer.onRequest('Fetch', async (p, peer) => {
      received = p;
      assert.equal(peer.brokerId, 2);
      return { records: Buffer.from((p as { records: Buffer }).records).reverse() };
    });
    const c = client(server.url);
    try {
      const records = randomBytes(1024 * 1024);
      const response = await c.request<{ records: Buffer }>('Fetch', { records, partition: 0 });
      const got = (received as { records: unknown }).records;
      assert.ok(Buffer.isBuffer(got));
      assert.ok(got.equals(records));
      assert.ok(Buffer.isBuffer(response.records));
      assert.ok(response.records.equals(Buffer.from(records).reverse()));
      assert.equal(c.connected, true);
      assert.deepEqual(server.peer.connectedPeers(), [2]);
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('many concurrent requests each get their own response', async () => {
    const server = await startServer();
    server.peer.onRequest('square', async (p) => {
      if (Math.random() < 0.5) await new Promise((r) => setImmediate(r));
      return (p as number) ** 2;
    });
    const c = client(server.url, { maxInFlight: 16 });
    try {
      const n = 2_000;
      const results = await Promise.all(Array.from({ length: n }, (_, i) => c.request('square', i)));
      assert.deepEqual(results, Array.from({ length: n }, (_, i) => i * i));
      assert.deepEqual(c.pendingRequests, { queued: 0, inFlight: 0 });
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('never more than maxInFlight requests outstanding', async () => {
    const server = await startServer();
    let active = 0;
    let maxActive = 0;
    const gates: (() => void)[] = [];
    server.peer.onRequest('hold', async (p) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((r) => gates.push(r));
      active--;
      return p;
    });
    const c = client(server.url, { maxInFlight: 3 });
    try {
      const all = Promise.all(Array.from({ length: 10 }, (_, i) => c.request('hold', i)));
      await waitUntil(() => active === 3, 3_000, 'three requests at the server');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(active, 3);
      assert.deepEqual(c.pendingRequests, { queued: 7, inFlight: 3 });
      gates.shift()?.();
      await waitUntil(() => active === 3 && gates.length === 3 && c.pendingRequests.queued === 6, 3_000, 'the fourth request');
      while (c.pendingRequests.inFlight > 0) {
        for (const g of gates.splice(0)) g();
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.deepEqual(await all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(maxActive, 3);
    } finally {
      for (const g of gates.splice(0)) g();
      await c.close();
      await server.close();
    }
  });

  test('sending pauses above the high-water mark when the peer does not read', async () => {
    // The server handles one request at a time per connection and stops reading the socket meanwhile,
    // so the kernel buffers fill and the client's unflushed bytes climb above its high-water mark.
    const server = await startServer({ maxInFlightPerConnection: 1 });
    const release = deferred();
    let handled = 0;
    server.peer.onRequest('produce', async () => {
      await release.promise;
      handled++;
      return handled;
    });
    const c = client(server.url, { maxInFlight: 1_000, highWaterMarkBytes: 256 * 1024 });
    try {
      const payload = Buffer.alloc(1024 * 1024, 1);
      const all = Promise.all(Array.from({ length: 48 }, () => c.request('produce', payload)));
      let last = -1;
      await waitUntil(
        () => {
          const now = c.pendingRequests.inFlight;
          const stable = now === last && now > 0;
          last = now;
          return stable;
        },
        5_000,
        'sending to stall',
      );
      await new Promise((r) => setTimeout(r, 100));
      const { inFlight, queued } = c.pendingRequests;
      assert.ok(inFlight < 48 && queued > 0, `sending stalled with ${inFlight} sent and ${queued} queued`);
      assert.equal(inFlight + queued, 48);
      release.resolve();
      assert.equal((await all).length, 48);
      assert.equal(handled, 48);
    } finally {
      release.resolve();
      await c.close();
      await server.close();
    }
  });

  test('request timeout: unanswered, and never connected', async () => {
    const clock = new ManualClock();
    const server = await startServer();
    const arrived = deferred();
    server.peer.onRequest('never', () => {
      arrived.resolve();
      return new Promise(() => undefined);
    });
    const c = client(server.url, { clock });
    const nowhere = client('ws://127.0.0.1:1/streamkeeper/peer', { clock });
    try {
      const request = c.request('never', null, { timeoutMs: 1_000 });
      await arrived.promise;
      clock.advance(999);
      assert.deepEqual(c.pendingRequests, { queued: 0, inFlight: 1 });
      clock.advance(1);
      await assert.rejects(request, { name: 'PeerTimeoutError', sent: true, retriable: true });
      assert.deepEqual(c.pendingRequests, { queued: 0, inFlight: 0 });

      const unsent = nowhere.request('x', null, { timeoutMs: 500 });
      await new Promise((r) => setTimeout(r, 50)); // the connection attempt fails meanwhile
      clock.advance(500);
      const err = await unsent.then(
        () => assert.fail('must not resolve'),
        (e: unknown) => e as { name: string; sent: boolean; cause: unknown },
      );
      assert.equal(err.name, 'PeerTimeoutError');
      assert.equal(err.sent, false);
      assert.ok(err.cause instanceof PeerUnavailableError, 'the connection failure is the cause');
    } finally {
      await c.close();
      await nowhere.close();
      await server.close();
    }
  });

  test('an AbortSignal cancels a waiting request', async () => {
    const server = await startServer();
    server.peer.onRequest('never', () => new Promise(() => undefined));
    const c = client(server.url);
    try {
      const ac = new AbortController();
      const request = c.request('never', null, { signal: ac.signal });
      await waitUntil(() => c.pendingRequests.inFlight === 1);
      ac.abort();
      await assert.rejects(request, { name: 'PeerAbortError' });
      await assert.rejects(c.request('never', null, { signal: AbortSignal.abort() }), { name: 'PeerAbortError' });
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('requests in flight when the connection drops fail retriably; the client reconnects to a restarted server', async () => {
    let server = await startServer();
    const port = server.port;
    server.peer.onRequest('never', () => new Promise(() => undefined));
    const c = client(server.url);
    const events: string[] = [];
    c.on('connected', () => events.push('connected'));
    c.on('disconnected', () => events.push('disconnected'));
    try {
      const inFlight = c.request('never', null).catch((e: unknown) => e);
      await waitUntil(() => c.pendingRequests.inFlight === 1);
      await server.close();
      const dropped = await inFlight;
      assert.ok(dropped instanceof PeerUnavailableError && dropped.retriable, String(dropped));
      assert.deepEqual(events, ['connected', 'disconnected']);

      // Sent while the server is down: waits for the reconnection.
      const later = c.request('echo', 'after restart');
      await new Promise((r) => setTimeout(r, 300));
      server = await startServer({ port });
      server.peer.onRequest('echo', async (p) => p);
      assert.equal(await later, 'after restart');
      assert.deepEqual(events, ['connected', 'disconnected', 'connected']);
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('an impostor that cannot prove the secret is refused by the client', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: PEER_PATH });
    await once(wss, 'listening');
    let requestsSeen = 0;
    wss.on('connection', (ws) => {
      ws.send(encodeFrame({ v: FRAME_VERSION, t: AuthFrameType.CHALLENGE, p: { nonce: newNonce() } }));
      ws.on('message', (data: Buffer) => {
        const frame = decodeFrame(data);
        if (frame.t === AuthFrameType.HELLO) {
          ws.send(encodeFrame({ v: FRAME_VERSION, t: AuthFrameType.WELCOME, p: { brokerId: 1, mac: randomBytes(32) } }));
        } else {
          requestsSeen++;
        }
      });
    });
    const c = client(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}${PEER_PATH}`, { clock: new ManualClock() });
    try {
      const failed = once(c, 'auth-failed', { signal: AbortSignal.timeout(3_000) });
      const request = c.request('LeaderAndIsr', { secret: 'stuff' }).catch((e: unknown) => e);
      const [error] = (await failed) as [Error];
      assert.match(error.message, /failed to prove the cluster secret/);
      assert.equal(c.connected, false);
      await c.close();
      assert.equal(((await request) as Error).name, 'PeerClosedError');
      assert.equal(requestsSeen, 0, 'nothing was sent to the impostor');
    } finally {
      await c.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => wss.close(r));
    }
  });

  test('reconnects back off exponentially from 100 ms to 5 s, also after failed authentication', async () => {
    const server = await startServer();
    for (const [random, delays] of [
      [() => 0.999_999, [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000]],
      [() => 0, [100, 100, 200, 400, 800, 1_600, 2_500, 2_500]],
    ] as const) {
      const clock = new ManualClock();
      const c = client(server.url, { clock, random, secret: 'wrong', requestTimeoutMs: 1e9 });
      let failures = 0;
      c.on('auth-failed', () => failures++);
      const attempts = (): number => server.entries.filter((e) => e.message.includes('wrong cluster secret')).length;
      const base = attempts();
      const request = c.request('x', null).catch((e: unknown) => e);
      try {
        await waitUntil(() => failures === 1, 3_000, 'the first failure');
        for (const [i, delay] of delays.entries()) {
          clock.advance(delay - 1);
          await new Promise((r) => setTimeout(r, 30));
          assert.equal(attempts() - base, i + 1, `no attempt before ${delay} ms`);
          clock.advance(1);
          await waitUntil(() => failures === i + 2, 3_000, `attempt ${i + 2}`);
          assert.equal(attempts() - base, i + 2);
        }
      } finally {
        await c.close();
        assert.equal(((await request) as Error).name, 'PeerClosedError');
      }
    }
    await server.close();
  });

  test('a real broker with another id than expected is refused', async () => {
    const server = await startServer({ brokerId: 1 });
    const c = client(server.url, { clock: new ManualClock(), expectedBrokerId: 3 });
    try {
      const failed = once(c, 'auth-failed', { signal: AbortSignal.timeout(3_000) });
      const request = c.request('x', null).catch((e: unknown) => e);
      const [error] = (await failed) as [Error];
      assert.match(error.message, /is broker 1, expected broker 3/);
      await c.close();
      assert.equal(((await request) as Error).name, 'PeerClosedError');
    } finally {
      await server.close();
    }
  });

  test('a request above maxPayloadBytes is refused locally without harming the connection', async () => {
    const server = await startServer();
    server.peer.onRequest('echo', async (p) => p);
    const c = client(server.url, { maxPayloadBytes: 64 * 1024 });
    try {
      assert.equal(await c.request('echo', 'small'), 'small');
      await assert.rejects(c.request('echo', Buffer.alloc(64 * 1024)), { name: 'PeerFrameTooLargeError' });
      assert.equal(await c.request('echo', 'still fine'), 'still fine');
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('pushes reach the server push handler with the authenticated broker id', async () => {
    const server = await startServer();
    const got = deferred<[unknown, number]>();
    server.peer.onPush('IsrChangeHint', (p, peer) => got.resolve([p, peer.brokerId]));
    server.peer.onRequest('echo', async (p) => p);
    const c = client(server.url, { brokerId: 11 });
    try {
      assert.equal(c.push('IsrChangeHint', { topic: 't' }), false, 'not connected yet');
      await c.request('echo', 1);
      assert.equal(c.push('IsrChangeHint', { topic: 't' }), true);
      assert.deepEqual(await got.promise, [{ topic: 't' }, 11]);
    } finally {
      await c.close();
      await server.close();
    }
  });
});
