import { createHmac, randomBytes } from 'node:crypto';

import { Packr } from 'msgpackr';
import { WebSocket } from 'ws';

/**
 * A test-side client of a broker's inter-broker WebSocket endpoint, written from the documented protocol only
 * (no broker code): one binary message = one MessagePack map `{ v: 1, t, id?, p?, err? }`; the server opens with
 * `challenge { nonce }`, the client answers `hello { brokerId, clusterId, nonce, mac }` with
 * mac = HMAC-SHA256(secret, "client" | serverNonce | clientNonce | int32 brokerId | clusterId), and the server
 * replies `welcome { brokerId, mac }` with HMAC-SHA256(secret, "server" | clientNonce | serverNonce | int32 serverId | clusterId).
 */
export const PEER_PATH = '/streamkeeper/peer';

const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

export interface PeerFrame {
  readonly v?: unknown;
  readonly t?: unknown;
  readonly id?: unknown;
  readonly p?: unknown;
  readonly err?: unknown;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export function encodePeerFrame(frame: Readonly<Record<string, unknown>>): Buffer {
  return packr.pack(frame);
}

export function peerMac(secret: string, label: 'client' | 'server', first: Buffer, second: Buffer, brokerId: number, clusterId: string): Buffer {
  const id = Buffer.alloc(4);
  id.writeInt32BE(brokerId);
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(label).update(first).update(second).update(id).update(clusterId, 'utf8').digest();
}

function asBuffer(v: unknown, what: string): Buffer {
  if (!(v instanceof Uint8Array)) throw new Error(`${what} is not binary: ${JSON.stringify(v)}`);
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export class PeerSocket {
  readonly #ws: WebSocket;
  readonly #frames: PeerFrame[] = [];
  readonly #waiters: Array<(f: PeerFrame | undefined) => void> = [];
  readonly closed: Promise<Closed>;
  #isClosed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise<Closed>((resolve) => {
      ws.once('close', (code, reason) => {
        this.#isClosed = true;
        for (const w of this.#waiters.splice(0)) w(undefined);
        resolve({ code, reason: reason.toString() });
      });
    });
    ws.on('error', () => {
      // surfaces as the close
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const frame = packr.unpack(bytes) as PeerFrame;
      const w = this.#waiters.shift();
      if (w === undefined) this.#frames.push(frame);
      else w(frame);
    });
  }

  /** Opens `ws://127.0.0.1:<port><path>`; rejects with the HTTP status when the upgrade is refused. */
  static async connect(port: number, path = PEER_PATH): Promise<PeerSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    return await new Promise<PeerSocket>((resolve, reject) => {
      ws.once('open', () => resolve(new PeerSocket(ws)));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Error(`upgrade refused: HTTP ${res.statusCode ?? '?'}`));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** The next frame from the server; undefined if the socket closes first. */
  async next(timeoutMs = 10_000): Promise<PeerFrame | undefined> {
    const ready = this.#frames.shift();
    if (ready !== undefined || this.#isClosed) return ready;
    return await new Promise<PeerFrame | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no peer frame within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  }

  /** Reads the server's opening challenge and returns its nonce. */
  async challenge(): Promise<Buffer> {
    const f = await this.next();
    if (f?.t !== 'challenge') throw new Error(`expected a challenge, got ${JSON.stringify(f)}`);
    return asBuffer((f.p as { nonce?: unknown } | undefined)?.nonce, 'challenge nonce');
  }

  /** Answers `serverNonce` with a hello whose MAC uses `secret`; returns the client nonce. */
  sendHello(serverNonce: Buffer, args: { secret: string; brokerId: number; clusterId: string }): Buffer {
    const nonce = randomBytes(32);
    const mac = peerMac(args.secret, 'client', serverNonce, nonce, args.brokerId, args.clusterId);
    this.send({ v: 1, t: 'hello', p: { brokerId: args.brokerId, clusterId: args.clusterId, nonce, mac } });
    return nonce;
  }

  send(frame: Readonly<Record<string, unknown>>): void {
    this.#ws.send(encodePeerFrame(frame), { binary: true });
  }

  sendRaw(bytes: Buffer | string, binary = true): void {
    this.#ws.send(bytes, { binary });
  }

  /** The close the server chose, or undefined if it did not close within `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<Closed | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  terminate(): void {
    this.#ws.terminate();
  }
}

/** Checks a welcome frame's server MAC with `secret`; returns the server's broker id. */
export function verifyWelcome(frame: PeerFrame | undefined, args: { secret: string; clientNonce: Buffer; serverNonce: Buffer; clusterId: string }): number {
  if (frame?.t !== 'welcome') throw new Error(`expected a welcome, got ${JSON.stringify(frame)}`);
  const p = frame.p as { brokerId?: unknown; mac?: unknown } | undefined;
  if (typeof p?.brokerId !== 'number') throw new Error(`welcome without a broker id: ${JSON.stringify(p)}`);
  const expected = peerMac(args.secret, 'server', args.clientNonce, args.serverNonce, p.brokerId, args.clusterId);
  if (!asBuffer(p.mac, 'welcome mac').equals(expected)) throw new Error('welcome MAC does not verify with the cluster secret');
  return p.brokerId;
}
