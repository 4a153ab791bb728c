// Test helpers: hand-built Kafka request frames, a response reader, a capturing logger.
import { connect as netConnect } from 'node:net';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger } from '../../src/util/logger.js';
import type { ConnectionInfo } from '../../src/server/request-context.js';

export interface RequestSpec {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId?: string;
  /** Request header v2 (tagged fields after client_id). */
  readonly flexibleHeader?: boolean;
  readonly body: Buffer;
}

/** A whole request including its size prefix. */
export function requestFrame(spec: RequestSpec): Buffer {
  const clientId = Buffer.from(spec.clientId ?? 'test-client', 'utf8');
  const header = Buffer.alloc(10 + clientId.length);
  header.writeInt16BE(spec.apiKey, 0);
  header.writeInt16BE(spec.apiVersion, 2);
  header.writeInt32BE(spec.correlationId, 4);
  header.writeInt16BE(clientId.length, 8);
  clientId.copy(header, 10);
  const tagged = spec.flexibleHeader === true ? Buffer.from([0]) : Buffer.alloc(0);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + tagged.length + spec.body.length, 0);
  return Buffer.concat([size, header, tagged, spec.body]);
}

/** Heartbeat v0 body: group_id generation_id member_id (classic strings). */
export function heartbeatV0Body(groupId: string, generationId: number, memberId: string): Buffer {
  const g = Buffer.from(groupId, 'utf8');
  const m = Buffer.from(memberId, 'utf8');
  const out = Buffer.alloc(2 + g.length + 4 + 2 + m.length);
  let at = out.writeInt16BE(g.length, 0);
  at += g.copy(out, at);
  at = out.writeInt32BE(generationId, at);
  at = out.writeInt16BE(m.length, at);
  m.copy(out, at);
  return out;
}

/** ApiVersions v3+ body: compact strings client_software_name, client_software_version, empty tagged fields. */
export function apiVersionsV3Body(name: string, version: string): Buffer {
  const compact = (s: string): Buffer => {
    const b = Buffer.from(s, 'utf8');
    return Buffer.concat([Buffer.from([b.length + 1]), b]);
  };
  return Buffer.concat([compact(name), compact(version), Buffer.from([0])]);
}

/** A frame split off its size prefix: correlation id (header v0) and the rest. */
export interface ResponseFrame {
  readonly correlationId: number;
  readonly rest: Buffer;
  readonly whole: Buffer;
}

export function splitResponse(frame: Buffer): ResponseFrame {
  return { correlationId: frame.readInt32BE(0), rest: frame.subarray(4), whole: frame };
}

/** ApiVersions response v0 body (also the v1+ prefix): error_code [api_key min max]. */
export function parseApiVersionsV0(rest: Buffer): { errorCode: number; apiKeys: [number, number, number][] } {
  const errorCode = rest.readInt16BE(0);
  const n = rest.readInt32BE(2);
  const apiKeys: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const at = 6 + i * 6;
    apiKeys.push([rest.readInt16BE(at), rest.readInt16BE(at + 2), rest.readInt16BE(at + 4)]);
  }
  return { errorCode, apiKeys };
}

/** A client socket that collects size-prefixed response frames. */
export class WireClient {
  readonly socket: Socket;
  readonly frames: Buffer[] = [];
  readonly closed: Promise<void>;
  #buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      while (this.#buffer.length >= 4) {
        const size = this.#buffer.readInt32BE(0);
        if (this.#buffer.length < 4 + size) break;
        this.frames.push(this.#buffer.subarray(4, 4 + size));
        this.#buffer = this.#buffer.subarray(4 + size);
      }
      this.#wake();
    });
    socket.on('error', () => {});
    this.closed = new Promise((resolve) =>
      socket.on('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      }),
    );
  }

  static connect(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new WireClient(socket)));
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Resolves when `count` frames have arrived; rejects if the socket closes first or after `timeoutMs`. */
  async waitForFrames(count: number, timeoutMs = 3000): Promise<Buffer[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count) {
      if (this.#isClosed) throw new Error(`closed after ${this.frames.length} of ${count} frames`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${this.frames.length} of ${count} frames`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.frames.slice(0, count);
  }

  /** Resolves true when the server closes the connection within `timeoutMs`, false otherwise. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const result = await Promise.race([this.closed.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}

export interface CapturedLog {
  readonly level: string;
  readonly message: string;
  readonly [field: string]: unknown;
}

/** A winston logger whose entries land in `entries`. */
export function captureLogger(): { logger: Logger; entries: CapturedLog[] } {
  const entries: CapturedLog[] = [];
  const sink = new Writable({
    objectMode: true,
    write(info: CapturedLog, _encoding, next): void {
      entries.push({ ...info });
      next();
    },
  });
  const logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: sink })] });
  return { logger, entries };
}

export function testConnectionInfo(): ConnectionInfo {
  return {
    connectionId: 'test-connection',
    clientAddress: '127.0.0.1:40000',
    listenerName: 'PLAINTEXT',
    securityProtocol: 'PLAINTEXT',
    signal: new AbortController().signal,
  };
}

/** Resolves after `ms` of real time (only for socket tests where the kernel must move bytes). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
