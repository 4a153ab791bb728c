import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { pack } from 'msgpackr';
import { WebSocket } from 'ws';
import { ManualClock } from '../../src/util/clock.js';
import { AuthFrameType } from '../../src/replication/auth.js';
import { decodeMessage, encodeFrame, FRAME_VERSION, PeerCloseCode } from '../../src/replication/frames.js';
import { PeerClient } from '../../src/replication/peer-client.js';
import { PeerServer } from '../../src/replication/peer-server.js';
import { captureLogger, closeCode, CLUSTER_ID, nextFrame, rawAuthenticated, SECRET, startServer } from './helpers.js';

function client(url: string, secret = SECRET, extra: { brokerId?: number; clusterId?: string } = {}): PeerClient {
  return new PeerClient({
    url,
    brokerId: extra.brokerId ?? 2,
    clusterId: extra.clusterId ?? CLUSTER_ID,
    secret,
    logger: captureLogger().logger,
    clock: new ManualClock(), // no reconnects unless a test advances it
    requestTimeoutMs: 3_000,
  });
}

describe('PeerServer', () => {
  test('an empty secret is refused at construction', () => {
    assert.throws(
      () => new PeerServer({ brokerId: 1, clusterId: CLUSTER_ID, secret: '', logger: captureLogger().logger, clock: new ManualClock() }),
      /streamkeeper\.cluster\.secret is empty/,
    );
  });

  test('a wrong secret is refused with 4001 and logged with the address and claimed broker id', async () => {
    const server = await startServer();
    server.peer.onRequest('echo', async (p) => p);
    const bad = client(server.url, 'not the secret', { brokerId: 9 });
    try {
      const failed = once(bad, 'auth-failed', { signal: AbortSignal.timeout(3_000) });
      const request = bad.request('echo', 1, { timeoutMs: 200_000 });
      request.catch(() => undefined);
      await failed;
      assert.equal(bad.connected, false);
      assert.deepEqual(server.peer.connectedPeers(), []);
      const warning = server.entries.find((e) => e.message.includes('wrong cluster secret'));
      assert.ok(warning, 'a warning is logged');
      assert.equal(warning.level, 'warn');
      assert.equal(warning['claimedBrokerId'], 9);
      assert.match(String(warning['remoteAddress']), /^127\.0\.0\.1:\d+$/);
      await bad.close();
      await assert.rejects(request, { name: 'PeerClosedError' });
    } finally {
      await server.close();
    }
  });

  test('a right secret with another cluster id is refused with 4004', async () => {
    const server = await startServer();
    const other = client(server.url, SECRET, { clusterId: 'another-cluster' });
    try {
      const failed = once(other, 'auth-failed', { signal: AbortSignal.timeout(3_000) });
      const request = other.request('x', 1).catch((e: unknown) => e);
      const [error] = (await failed) as [Error];
      assert.match(error.message, /4004/);
      await other.close();
      assert.equal(((await request) as Error).name, 'PeerClosedError');
      assert.ok(server.entries.some((e) => e.message === 'peer belongs to another cluster'));
    } finally {
      await other.close();
      await server.close();
    }
  });

  test('a client that never sends hello is closed after the handshake timeout', async () => {
    const clock = new ManualClock();
    const server = await startServer({ clock });
    try {
      const ws = new WebSocket(server.url);
      const challenge = await nextFrame(ws);
      assert.equal(challenge.t, AuthFrameType.CHALLENGE);
      const closed = closeCode(ws);
      clock.advance(4_999);
      assert.equal(ws.readyState, WebSocket.OPEN);
      clock.advance(1);
      assert.equal(await closed, PeerCloseCode.HANDSHAKE_TIMEOUT);
      assert.ok(server.entries.some((e) => e.message === 'peer did not authenticate in time'));
    } finally {
      await server.close();
    }
  });

  test('an unauthenticated request gets no answer, only a close', async () => {
    const server = await startServer();
    let called = false;
    server.peer.onRequest('StopReplica', async () => {
      called = true;
      return 'done';
    });
    try {
      const ws = new WebSocket(server.url);
      await nextFrame(ws); // challenge
      const closed = closeCode(ws);
      const messages: unknown[] = [];
      ws.on('message', (m) => messages.push(m));
      ws.send(encodeFrame({ v: FRAME_VERSION, t: 'StopReplica', id: 1, p: {} }));
      assert.equal(await closed, PeerCloseCode.AUTH_FAILED);
      assert.deepEqual(messages, []);
      assert.equal(called, false);
    } finally {
      await server.close();
    }
  });

  test('malformed frames close only their own connection', async () => {
    const server = await startServer();
    server.peer.onRequest('echo', async (p) => p);
    const good = client(server.url, SECRET, { brokerId: 3 });
    try {
      assert.equal(await good.request('echo', 'before'), 'before');
      const garbage: [string, Buffer | string, boolean][] = [
        ['random bytes', Buffer.from('c1e7a9035b3d8f00ff11', 'hex'), true],
        ['valid msgpack, wrong envelope', pack({ type: 'echo', id: 1, payload: 'x' }), true],
        ['wrong version', Buffer.from('82a17602a174a178', 'hex'), true],
        ['text message', '{"v":1,"t":"echo","id":1}', false],
      ];
      for (const [name, bytes, binary] of garbage) {
        const bad = await rawAuthenticated(server.url, { brokerId: 4 });
        const closed = closeCode(bad);
        bad.send(bytes, { binary });
        assert.equal(await closed, PeerCloseCode.PROTOCOL_ERROR, name);
        assert.equal(await good.request('echo', name), name, `the other client still works after ${name}`);
      }
      assert.deepEqual(server.peer.connectedPeers(), [3]);
      assert.equal(server.entries.filter((e) => e.message.startsWith('malformed frame')).length, 4);
    } finally {
      await good.close();
      await server.close();
    }
  });

  test('a message above maxPayloadBytes closes that connection with 1009', async () => {
    const server = await startServer({ maxPayloadBytes: 4096 });
    server.peer.onRequest('echo', async (p) => p);
    const good = client(server.url, SECRET, { brokerId: 3 });
    try {
      assert.equal(await good.request('echo', Buffer.alloc(3000)).then((b) => (b as Buffer).length), 3000);
      const big = await rawAuthenticated(server.url, { brokerId: 4 });
      const closed = closeCode(big);
      big.send(encodeFrame({ v: FRAME_VERSION, t: 'echo', id: 1, p: Buffer.alloc(5000) }));
      assert.equal(await closed, 1009);
      assert.equal(await good.request('echo', 'still here'), 'still here');
    } finally {
      await good.close();
      await server.close();
    }
  });

  test('records in a response travel as a WebSocket fragment of their own after the envelope, as sent', async () => {
    const server = await startServer();
    const records = Buffer.alloc(512 * 1024, 0x5c);
    server.peer.onRequest('ReplicaFetch', async () => ({ partitions: [{ partition: 0, records }] }));
    const ws = await rawAuthenticated(server.url, { brokerId: 4 });
    try {
      ws.binaryType = 'fragments';
      const message = once(ws, 'message', { signal: AbortSignal.timeout(2000) });
      ws.send(encodeFrame({ v: FRAME_VERSION, t: 'ReplicaFetch', id: 1, p: {} }));
      const [fragments] = (await message) as [Buffer[]];
      assert.equal(fragments.length, 2, 'envelope, then the records');
      assert.ok((fragments[1] as Buffer).equals(records));
      const frame = decodeMessage(fragments);
      assert.equal(frame.id, 1);
      const got = (frame.p as { partitions: { records: Buffer }[] }).partitions[0]?.records;
      assert.equal(got?.buffer, fragments[1]?.buffer, 'the decoded records are the received fragment');
    } finally {
      ws.close();
      await server.close();
    }
  });

  test('large responses finished in the same tick each arrive whole, their fragments not interleaved', async () => {
    const server = await startServer();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let waiting = 0;
    server.peer.onRequest('ReplicaFetch', async (p) => {
      const fill = (p as { fill: number }).fill;
      waiting++;
      await gate;
      return { partitions: [{ partition: 0, records: Buffer.alloc(300_000, fill) }, { partition: 1, records: Buffer.alloc(200_000, fill + 1) }] };
    });
    const c = client(server.url);
    try {
      const responses = [1, 3, 5, 7].map((fill) => c.request<{ partitions: { records: Buffer }[] }>('ReplicaFetch', { fill }));
      while (waiting < 4) await new Promise((r) => setTimeout(r, 5));
      release();
      const got = await Promise.all(responses);
      got.forEach((r, i) => {
        const fill = [1, 3, 5, 7][i] ?? 0;
        assert.ok(r.partitions[0]?.records.equals(Buffer.alloc(300_000, fill)), `response ${i} partition 0`);
        assert.ok(r.partitions[1]?.records.equals(Buffer.alloc(200_000, fill + 1)), `response ${i} partition 1`);
      });
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('requests run concurrently and answer by id; handler errors become error responses', async () => {
    const server = await startServer();
    let active = 0;
    let maxActive = 0;
    server.peer.onRequest('slowEcho', async (p) => {
      const { delayMs, value } = p as { delayMs: number; value: number };
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, delayMs));
      active--;
      return value;
    });
    server.peer.onRequest('fail', async () => {
      throw new Error('boom');
    });
    const c = client(server.url);
    try {
      const results = await Promise.all([400, 300, 200, 100, 0].map((delayMs, value) => c.request('slowEcho', { delayMs, value })));
      assert.deepEqual(results, [0, 1, 2, 3, 4]);
      assert.ok(maxActive >= 4, `handled concurrently, not one after another (at most ${maxActive} at once)`);
      await assert.rejects(c.request('fail', null), { name: 'PeerRemoteError', code: 'UNKNOWN_SERVER_ERROR', message: 'boom' });
      await assert.rejects(c.request('nope', null), { name: 'PeerRemoteError', code: 'INVALID_REQUEST' });
      assert.equal(await c.request('slowEcho', { delayMs: 0, value: 9 }), 9, 'connection survives handler errors');
    } finally {
      await c.close();
      await server.close();
    }
  });

  test('a peer that stops answering pings is terminated after two missed pongs', async () => {
    const clock = new ManualClock();
    const server = await startServer({ clock, heartbeatIntervalMs: 1_000 });
    try {
      const ws = await rawAuthenticated(server.url, { autoPong: false, brokerId: 5 });
      assert.deepEqual(server.peer.connectedPeers(), [5]);
      let pings = 0;
      ws.on('ping', () => pings++);
      const closed = closeCode(ws);
      clock.advance(1_000);
      clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(pings, 2);
      assert.equal(ws.readyState, WebSocket.OPEN);
      clock.advance(1_000);
      assert.equal(await closed, 1006, 'terminated, no close handshake');
      assert.deepEqual(server.peer.connectedPeers(), []);
    } finally {
      await server.close();
    }
  });

  test('a peer that answers pings stays connected', async () => {
    const clock = new ManualClock();
    const server = await startServer({ clock, heartbeatIntervalMs: 1_000 });
    try {
      const ws = await rawAuthenticated(server.url, { brokerId: 6 });
      for (let i = 0; i < 5; i++) {
        const pong = once(ws, 'ping');
        clock.advance(1_000);
        await pong;
        await new Promise((r) => setTimeout(r, 20)); // let the pong arrive
      }
      assert.equal(ws.readyState, WebSocket.OPEN);
      assert.deepEqual(server.peer.connectedPeers(), [6]);
      ws.close();
    } finally {
      await server.close();
    }
  });

  test('upgrades to other paths are refused; close() disconnects peers and refuses new ones', async () => {
    const server = await startServer();
    try {
      const wrongPath = new WebSocket(`ws://127.0.0.1:${server.port}/other`);
      const [err] = (await once(wrongPath, 'error')) as [Error];
      assert.match(err.message, /404/);
      const ws = await rawAuthenticated(server.url, { brokerId: 8 });
      const closed = closeCode(ws);
      await server.peer.close();
      assert.equal(await closed, PeerCloseCode.GOING_AWAY);
      const late = new WebSocket(server.url);
      const [lateErr] = (await once(late, 'error')) as [Error];
      assert.match(lateErr.message, /503/);
    } finally {
      await server.close();
    }
  });
});
