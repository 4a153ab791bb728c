import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { AuthFrameType, clientMac, HANDSHAKE_TIMEOUT_MS, macMatches, newNonce, parseChallenge, parseWelcome, secretKey, serverMac } from './auth.js';
import { decodeMessage, encodeFrame, encodeFrameParts, FRAME_VERSION, MAX_REQUEST_ID, messageFragments, PeerCloseCode } from './frames.js';
import type { Frame } from './frames.js';
import type { PeerIdentity } from './auth.js';
import { DEFAULT_HIGH_WATER_MARK_BYTES, FrameWriter } from './frame-writer.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, startHeartbeat } from './heartbeat.js';
import {
  PeerAbortError,
  PeerAuthError,
  PeerClosedError,
  PeerFrameTooLargeError,
  PeerProtocolError,
  PeerRemoteError,
  PeerTimeoutError,
  PeerUnavailableError,
} from './peer-errors.js';
import { DEFAULT_MAX_PAYLOAD_BYTES } from './peer-server.js';

export interface PeerClientOptions extends PeerIdentity {
  /** ws://host:port/streamkeeper/peer */
  url: string;
  /** Default timeout of a request, from the call until its response (Kafka's request.timeout.ms). */
  requestTimeoutMs?: number;
  /** Requests sent and not yet answered; more wait in a queue. */
  maxInFlight?: number;
  /** When set, the server must prove it is this broker (its id is covered by the welcome MAC). */
  expectedBrokerId?: number;
  maxPayloadBytes?: number;
  /** Sending pauses while more than this many bytes are handed to the socket but not flushed. */
  highWaterMarkBytes?: number;
  heartbeatIntervalMs?: number;
  /** Connecting plus authenticating must finish within this. */
  handshakeTimeoutMs?: number;
  reconnectBackoffMs?: number;
  reconnectBackoffMaxMs?: number;
  /** Source of jitter, [0, 1). */
  random?: () => number;
}

export interface PeerRequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface PeerClientEvents {
  connected: [];
  disconnected: [info: { code: number; reason: string }];
  'auth-failed': [error: PeerAuthError];
  push: [type: string, payload: unknown];
}

interface Pending {
  id: number;
  type: string;
  frame: Buffer[] | undefined;
  resolve(value: unknown): void;
  reject(error: Error): void;
  cancelTimer(): void;
  detachSignal(): void;
}

/** Nonces of one connection attempt. */
interface Handshake {
  clientNonce: Buffer;
  serverNonce: Buffer | undefined;
}

type State = 'idle' | 'connecting' | 'ready' | 'backoff' | 'closed';

const AUTH_FAILURE_CODES: ReadonlySet<number> = new Set([PeerCloseCode.AUTH_FAILED, PeerCloseCode.CLUSTER_MISMATCH]);

/**
 * One broker's connection to another broker's PeerServer. Connects on first use, then keeps the connection,
 * reconnecting with exponential backoff and jitter. Requests wait (up to their timeout) for the connection, at most
 * `maxInFlight` are outstanding, and sending pauses above the high-water mark of unflushed bytes.
 */
export class PeerClient extends EventEmitter<PeerClientEvents> {
  readonly #o: Required<Omit<PeerClientOptions, 'expectedBrokerId' | 'secret'>> & { expectedBrokerId: number | undefined };
  readonly #key: Buffer;
  readonly #queue = new Set<Pending>();
  readonly #inFlight = new Map<number, Pending>();
  #state: State = 'idle';
  #ws: WebSocket | undefined;
  #writer: FrameWriter | undefined;
  #nextId = 1;
  #attempt = 0;
  #lastError: Error | undefined;
  #cancelTimer: (() => void) | undefined;
  #stopHeartbeat: (() => void) | undefined;

  constructor(options: PeerClientOptions) {
    super();
    this.#key = secretKey(options.secret);
    const protocol = new URL(options.url).protocol;
    if (protocol !== 'ws:' && protocol !== 'wss:') throw new Error(`peer url must be ws:// or wss://, got ${options.url}`);
    this.#o = {
      url: options.url,
      brokerId: options.brokerId,
      clusterId: options.clusterId,
      logger: options.logger,
      clock: options.clock,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      maxInFlight: options.maxInFlight ?? 32,
      expectedBrokerId: options.expectedBrokerId,
      maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      highWaterMarkBytes: options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      reconnectBackoffMs: options.reconnectBackoffMs ?? 100,
      reconnectBackoffMaxMs: options.reconnectBackoffMaxMs ?? 5_000,
      random: options.random ?? Math.random,
    };
    if (!(this.#o.maxInFlight >= 1)) throw new Error('maxInFlight must be at least 1');
  }

  get url(): string {
    return this.#o.url;
  }

  /** True while an authenticated connection is open. */
  get connected(): boolean {
    return this.#state === 'ready';
  }

  /** Requests waiting to be sent and requests awaiting their response. */
  get pendingRequests(): { queued: number; inFlight: number } {
    return { queued: this.#queue.size, inFlight: this.#inFlight.size };
  }

  /**
   * Sends one request and resolves with the peer's response payload. Rejects with PeerRemoteError when the peer's
   * handler failed, PeerTimeoutError, PeerUnavailableError (connection dropped after sending; retriable),
   * PeerAbortError, PeerFrameTooLargeError or PeerClosedError.
   */
  request<T = unknown>(type: string, payload: unknown, opts: PeerRequestOptions = {}): Promise<T> {
    if (this.#state === 'closed') return Promise.reject(new PeerClosedError(`peer client for ${this.#o.url} is closed`));
    const signal = opts.signal;
    if (signal?.aborted === true) return Promise.reject(new PeerAbortError(`${type} request aborted`, { cause: signal.reason }));
    let frame: Buffer[];
    const id = this.#allocateId();
    try {
      frame = encodeFrameParts({ v: FRAME_VERSION, t: type, id, p: payload });
    } catch (cause) {
      return Promise.reject(new PeerProtocolError(`${type} request payload cannot be encoded`, { cause }));
    }
    const size = frame.reduce((n, part) => n + part.length, 0);
    if (size > this.#o.maxPayloadBytes) {
      return Promise.reject(new PeerFrameTooLargeError(`${type} request of ${size} bytes exceeds ${this.#o.maxPayloadBytes}`));
    }
    return new Promise<T>((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.#o.requestTimeoutMs;
      const onAbort = (): void => {
        this.#settle(pending)?.reject(new PeerAbortError(`${type} request aborted`, { cause: signal?.reason }));
      };
      const pending: Pending = {
        id,
        type,
        frame,
        resolve: resolve as (value: unknown) => void,
        reject,
        cancelTimer: this.#o.clock.schedule(timeoutMs, () => {
          const sent = pending.frame === undefined;
          this.#settle(pending)?.reject(
            new PeerTimeoutError(
              `${type} request to ${this.#o.url} timed out after ${timeoutMs} ms (${sent ? 'no response' : 'not connected'})`,
              sent,
              { cause: sent ? undefined : this.#lastError },
            ),
          );
        }),
        detachSignal: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.add(pending);
      this.#ensureConnecting();
      this.#pump();
    });
  }

  /** Sends a push (a frame without request id; no response). Only while connected: returns false, sending nothing, otherwise. */
  push(type: string, payload: unknown): boolean {
    if (this.#state !== 'ready' || this.#writer === undefined) return false;
    return this.#writer.write(encodeFrameParts({ v: FRAME_VERSION, t: type, p: payload }));
  }

  /** Rejects everything outstanding with PeerClosedError and closes the connection for good. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#cancelTimer?.();
    this.#stopHeartbeat?.();
    const error = new PeerClosedError(`peer client for ${this.#o.url} closed`);
    for (const p of [...this.#queue, ...this.#inFlight.values()]) this.#settle(p)?.reject(error);
    const ws = this.#ws;
    if (ws === undefined || ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    const cancel = this.#o.clock.schedule(2_000, () => ws.terminate());
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(PeerCloseCode.NORMAL, 'client closed');
    await closed;
    cancel();
  }

  #allocateId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id >= MAX_REQUEST_ID ? 1 : id + 1;
      if (!this.#inFlight.has(id)) return id;
    }
  }

  /** Removes a request from the queue or the in-flight map; returns it if it was still outstanding. */
  #settle(p: Pending): Pending | undefined {
    const wasOutstanding = this.#queue.delete(p) || this.#inFlight.delete(p.id);
    if (!wasOutstanding) return undefined;
    p.cancelTimer();
    p.detachSignal();
    p.frame = undefined;
    this.#pump();
    return p;
  }

  #pump(): void {
    const writer = this.#writer;
    if (this.#state !== 'ready' || writer === undefined) return;
    while (this.#inFlight.size < this.#o.maxInFlight && !writer.saturated) {
      const next = this.#queue.values().next();
      if (next.done === true) return;
      const p = next.value;
      const frame = p.frame;
      this.#queue.delete(p);
      if (frame === undefined) continue;
      p.frame = undefined;
      this.#inFlight.set(p.id, p);
      writer.write(frame);
    }
  }

  #ensureConnecting(): void {
    if (this.#state === 'idle') this.#connect();
  }

  #connect(): void {
    this.#state = 'connecting';
    const ws = new WebSocket(this.#o.url, {
      maxPayload: this.#o.maxPayloadBytes,
      perMessageDeflate: false,
      skipUTF8Validation: true,
      handshakeTimeout: this.#o.handshakeTimeoutMs,
    });
    ws.binaryType = 'fragments';
    this.#ws = ws;
    const handshake: Handshake = { clientNonce: newNonce(), serverNonce: undefined };
    let authError: PeerAuthError | undefined;
    this.#cancelTimer = this.#o.clock.schedule(this.#o.handshakeTimeoutMs, () => {
      this.#lastError = new PeerUnavailableError(`no authenticated connection to ${this.#o.url} within ${this.#o.handshakeTimeoutMs} ms`);
      ws.terminate();
    });
    const fail = (code: number, error: Error): void => {
      this.#lastError = error;
      this.#o.logger.warn('closing peer connection', { url: this.#o.url, code, err: error.message });
      ws.close(code, error instanceof PeerAuthError ? 'authentication failed' : 'malformed frame');
    };
    ws.on('message', (data, isBinary) => {
      if (ws !== this.#ws || ws.readyState !== WebSocket.OPEN) return;
      let frame: Frame;
      try {
        if (!isBinary) throw new PeerProtocolError('text message on the peer channel');
        frame = decodeMessage(messageFragments(data));
        if (this.#state === 'ready') this.#onFrame(frame);
        else if (frame.t === AuthFrameType.CHALLENGE) this.#onChallenge(ws, frame, handshake);
        else if (frame.t === AuthFrameType.WELCOME) this.#onWelcome(ws, frame, handshake);
        else throw new PeerProtocolError(`unexpected ${frame.t} frame before authentication`);
      } catch (e) {
        if (e instanceof PeerAuthError) {
          authError = e;
          fail(PeerCloseCode.AUTH_FAILED, e);
        } else {
          fail(PeerCloseCode.PROTOCOL_ERROR, e instanceof Error ? e : new Error(String(e)));
        }
      }
    });
    ws.on('error', (err) => {
      this.#lastError = new PeerUnavailableError(`connection to ${this.#o.url} failed: ${err.message}`, { cause: err });
    });
    ws.once('close', (code, reason) => {
      if (authError === undefined && AUTH_FAILURE_CODES.has(code)) {
        authError = new PeerAuthError(`${this.#o.url} refused authentication (${code} ${reason.toString()})`);
        this.#lastError = authError;
      }
      this.#onClose(ws, code, reason.toString(), authError);
    });
  }

  #onChallenge(ws: WebSocket, frame: Frame, handshake: Handshake): void {
    if (handshake.serverNonce !== undefined) throw new PeerProtocolError('second challenge');
    const { nonce } = parseChallenge(frame.p);
    const { brokerId, clusterId } = this.#o;
    const mac = clientMac(this.#key, nonce, handshake.clientNonce, brokerId, clusterId);
    handshake.serverNonce = nonce;
    ws.send(encodeFrame({ v: FRAME_VERSION, t: AuthFrameType.HELLO, p: { brokerId, clusterId, nonce: handshake.clientNonce, mac } }));
  }

  #onWelcome(ws: WebSocket, frame: Frame, handshake: Handshake): void {
    const { clientNonce, serverNonce } = handshake;
    if (serverNonce === undefined) throw new PeerProtocolError('welcome before challenge');
    const welcome = parseWelcome(frame.p);
    const expected = serverMac(this.#key, clientNonce, serverNonce, welcome.brokerId, this.#o.clusterId);
    if (!macMatches(welcome.mac, expected)) throw new PeerAuthError(`${this.#o.url} failed to prove the cluster secret`);
    const expectedId = this.#o.expectedBrokerId;
    if (expectedId !== undefined && welcome.brokerId !== expectedId) {
      throw new PeerAuthError(`${this.#o.url} is broker ${welcome.brokerId}, expected broker ${expectedId}`);
    }
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#state = 'ready';
    this.#attempt = 0;
    this.#lastError = undefined;
    this.#writer = new FrameWriter(ws, this.#o.highWaterMarkBytes, () => this.#pump());
    this.#stopHeartbeat = startHeartbeat(ws, this.#o.clock, this.#o.heartbeatIntervalMs, () => {
      this.#o.logger.warn('peer missed heartbeats; reconnecting', { url: this.#o.url });
      this.#lastError = new PeerUnavailableError(`${this.#o.url} stopped answering heartbeats`);
      ws.terminate();
    });
    this.#o.logger.debug('connected to peer', { url: this.#o.url, remoteBrokerId: welcome.brokerId });
    this.emit('connected');
    this.#pump();
  }

  #onFrame(frame: Frame): void {
    const id = frame.id;
    if (id === undefined) {
      if (frame.t === AuthFrameType.CHALLENGE || frame.t === AuthFrameType.WELCOME) {
        throw new PeerProtocolError(`${frame.t} frame after authentication`);
      }
      this.emit('push', frame.t, frame.p);
      return;
    }
    const p = this.#inFlight.get(id);
    if (p === undefined) return; // timed out or aborted meanwhile
    this.#settle(p);
    if (frame.err !== undefined) p.reject(new PeerRemoteError(frame.err.code, frame.err.message));
    else p.resolve(frame.p);
  }

  #onClose(ws: WebSocket, code: number, reason: string, authError: PeerAuthError | undefined): void {
    if (ws !== this.#ws) return;
    const wasReady = this.#state === 'ready';
    this.#ws = undefined;
    this.#writer = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#stopHeartbeat?.();
    this.#stopHeartbeat = undefined;
    if (this.#inFlight.size > 0) {
      const error = new PeerUnavailableError(`connection to ${this.#o.url} closed (${code}) with the request outstanding`, {
        cause: this.#lastError,
      });
      for (const p of [...this.#inFlight.values()]) this.#settle(p)?.reject(error);
    }
    if (this.#state === 'closed') return;
    if (wasReady) this.emit('disconnected', { code, reason });
    if (authError !== undefined) {
      this.#o.logger.warn('peer authentication failed', { url: this.#o.url, err: authError.message });
      this.emit('auth-failed', authError);
    }
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const { reconnectBackoffMs: initial, reconnectBackoffMaxMs: max, random } = this.#o;
    const ceiling = Math.min(max, initial * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    // Equal jitter (between half and all of the exponential delay), never below the initial backoff.
    const delay = Math.max(initial, Math.round(ceiling / 2 + random() * (ceiling / 2)));
    this.#state = 'backoff';
    this.#cancelTimer = this.#o.clock.schedule(delay, () => {
      this.#cancelTimer = undefined;
      if (this.#state === 'backoff') this.#connect();
    });
  }
}
