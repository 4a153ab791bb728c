import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import winston from 'winston';
import { WebSocket } from 'ws';
import { systemClock } from '../../src/util/clock.js';
import { AuthFrameType, clientMac, newNonce, parseChallenge } from '../../src/replication/auth.js';
import { decodeFrame, encodeFrame, FRAME_VERSION, PEER_PATH } from '../../src/replication/frames.js';
import type { Frame } from '../../src/replication/frames.js';
import { PeerServer } from '../../src/replication/peer-server.js';
import type { PeerServerOptions } from '../../src/replication/peer-server.js';

export const CLUSTER_ID = 'test-cluster-Xk3v9QJ2Tq';
export const SECRET = 'correct horse battery staple';

export interface LogEntry {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** A real winston logger that keeps every entry in memory. */
export function captureLogger(): { logger: winston.Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogEntry, _enc, cb) {
      entries.push({ ...info });
      cb();
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
  return { logger, entries };
}

export interface TestServer {
  peer: PeerServer;
  http: Server;
  port: number;
  url: string;
  entries: LogEntry[];
  close(): Promise<void>;
}

/** A PeerServer behind its own http.Server on 127.0.0.1 (port 0 unless given). */
export async function startServer(
  options: Partial<PeerServerOptions> & { port?: number } = {},
): Promise<TestServer> {
  const { logger, entries } = captureLogger();
  const peer = new PeerServer({
    brokerId: 1,
    clusterId: CLUSTER_ID,
    secret: SECRET,
    logger,
    clock: systemClock,
    ...options,
  });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head: Buffer) => peer.handleUpgrade(req, socket, head));
  http.listen(options.port ?? 0, '127.0.0.1');
  await once(http, 'listening');
  const port = (http.address() as AddressInfo).port;
  return {
    peer,
    http,
    port,
    url: `ws://127.0.0.1:${port}${PEER_PATH}`,
    entries,
    async close() {
      await peer.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** Resolves with the next message of a raw WebSocket, decoded; rejects after `ms`. */
export async function nextFrame(ws: WebSocket, ms = 2_000): Promise<Frame> {
  const [data] = (await once(ws, 'message', { signal: AbortSignal.timeout(ms) })) as [Buffer];
  return decodeFrame(data);
}

/** Resolves with the close code of a raw WebSocket; rejects after `ms`. */
export async function closeCode(ws: WebSocket, ms = 2_000): Promise<number> {
  if (ws.readyState === WebSocket.CLOSED) throw new Error('already closed');
  const [code] = (await once(ws, 'close', { signal: AbortSignal.timeout(ms) })) as [number];
  return code;
}

/** A plain WebSocket that performs the client side of the handshake by hand. */
export async function rawAuthenticated(
  url: string,
  { brokerId = 7, secret = SECRET, clusterId = CLUSTER_ID, autoPong = true } = {},
): Promise<WebSocket> {
  const ws = new WebSocket(url, { autoPong });
  const challenge = nextFrame(ws);
  await once(ws, 'open');
  const { nonce } = parseChallenge((await challenge).p);
  const clientNonce = newNonce();
  const welcome = nextFrame(ws);
  const mac = clientMac(Buffer.from(secret), nonce, clientNonce, brokerId, clusterId);
  ws.send(encodeFrame({ v: FRAME_VERSION, t: AuthFrameType.HELLO, p: { brokerId, clusterId, nonce: clientNonce, mac } }));
  const frame = await welcome;
  if (frame.t !== AuthFrameType.WELCOME) throw new Error(`expected welcome, got ${frame.t}`);
  return ws;
}

/** Polls `cond` every 5 ms until true; fails after `ms`. */
export async function waitUntil(cond: () => boolean, ms = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A promise with its resolve function, for handlers that wait until a test releases them. */
export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
