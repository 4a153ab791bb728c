import type { WebSocket } from 'ws';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { StreamkeeperError } from '../util/errors.js';
import {
  AuthFrameType,
  clientMac,
  macMatches,
  newNonce,
  parseHello,
  serverMac,
} from './auth.js';
import { decodeMessage, encodeFrameParts, FRAME_VERSION, messageFragments, PeerCloseCode } from './frames.js';
import type { Frame, FrameError } from './frames.js';
import { FrameWriter } from './frame-writer.js';
import { startHeartbeat } from './heartbeat.js';
import { PeerProtocolError } from './peer-errors.js';

/** Who sent a request: the authenticated broker id and the address it connected from. */
export interface PeerInfo {
  brokerId: number;
  remoteAddress: string;
}

export type RequestHandler = (payload: unknown, peer: PeerInfo) => Promise<unknown>;
export type PushHandler = (payload: unknown, peer: PeerInfo) => void;

export interface ServerConnectionSettings {
  brokerId: number;
  clusterId: string;
  key: Buffer;
  logger: Logger;
  clock: Clock;
  handshakeTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxInFlight: number;
  highWaterMarkBytes: number;
  requestHandler(type: string): RequestHandler | undefined;
  pushHandler(type: string): PushHandler | undefined;
}

/** Maps a handler failure to the error sent back; Kafka error names pass through. */
export function toFrameError(e: unknown): FrameError {
  if (e instanceof StreamkeeperError) return { code: e.kafkaError, message: e.message };
  return { code: 'UNKNOWN_SERVER_ERROR', message: e instanceof Error ? e.message : String(e) };
}

type State = 'handshake' | 'ready' | 'closing';

/** One accepted peer WebSocket: handshake, then concurrent request handling with bounded work per connection. */
export class ServerConnection {
  readonly #ws: WebSocket;
  readonly #s: ServerConnectionSettings;
  readonly #remoteAddress: string;
  readonly #serverNonce = newNonce();
  readonly #writer: FrameWriter;
  readonly #closed: Promise<void>;
  #state: State = 'handshake';
  #peer: PeerInfo | undefined;
  #inFlight = 0;
  #cancelHandshakeTimer: (() => void) | undefined;
  #stopHeartbeat: (() => void) | undefined;

  constructor(ws: WebSocket, remoteAddress: string, settings: ServerConnectionSettings) {
    this.#ws = ws;
    this.#s = settings;
    this.#remoteAddress = remoteAddress;
    this.#writer = new FrameWriter(ws, settings.highWaterMarkBytes, () => this.#updateFlow());
    this.#closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.binaryType = 'fragments';
    ws.on('message', (data, isBinary) => this.#onMessage(messageFragments(data), isBinary));
    ws.on('error', (err) => this.#s.logger.debug('peer socket error', { remoteAddress, err: err.message }));
    ws.once('close', (code, reason) => this.#onClose(code, reason.toString()));
    this.#cancelHandshakeTimer = settings.clock.schedule(settings.handshakeTimeoutMs, () => {
      this.#s.logger.warn('peer did not authenticate in time', { remoteAddress, timeoutMs: settings.handshakeTimeoutMs });
      this.close(PeerCloseCode.HANDSHAKE_TIMEOUT, 'authentication timeout');
    });
    this.#send({ v: FRAME_VERSION, t: AuthFrameType.CHALLENGE, p: { nonce: this.#serverNonce } });
  }

  /** The authenticated broker id, or undefined before the handshake completes. */
  get brokerId(): number | undefined {
    return this.#state === 'ready' ? this.#peer?.brokerId : undefined;
  }

  /** Resolves once the socket is closed. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  close(code: number, reason: string): void {
    if (this.#state === 'closing') return;
    this.#state = 'closing';
    this.#stopTimers();
    this.#ws.close(code, reason);
  }

  terminate(): void {
    this.#state = 'closing';
    this.#stopTimers();
    this.#ws.terminate();
  }

  #stopTimers(): void {
    this.#cancelHandshakeTimer?.();
    this.#cancelHandshakeTimer = undefined;
    this.#stopHeartbeat?.();
    this.#stopHeartbeat = undefined;
  }

  #onClose(code: number, reason: string): void {
    this.#state = 'closing';
    this.#stopTimers();
    if (this.#peer !== undefined) {
      this.#s.logger.info('peer disconnected', { brokerId: this.#peer.brokerId, remoteAddress: this.#remoteAddress, code, reason });
    }
  }

  #send(frame: Frame): void {
    this.#writer.write(encodeFrameParts(frame));
  }

  #onMessage(data: Buffer[], isBinary: boolean): void {
    if (this.#state === 'closing') return;
    let frame: Frame;
    try {
      if (!isBinary) throw new PeerProtocolError('text message on the peer channel');
      frame = decodeMessage(data);
    } catch (e) {
      this.#protocolError(e);
      return;
    }
    if (this.#state === 'handshake') this.#onHandshakeFrame(frame);
    else if (frame.id !== undefined) this.#onRequest(frame, frame.id);
    else this.#onPush(frame);
  }

  #protocolError(e: unknown): void {
    this.#s.logger.warn('malformed frame from peer; closing the connection', {
      remoteAddress: this.#remoteAddress,
      brokerId: this.#peer?.brokerId,
      err: e instanceof Error ? e.message : String(e),
    });
    this.close(PeerCloseCode.PROTOCOL_ERROR, 'malformed frame');
  }

  #onHandshakeFrame(frame: Frame): void {
    if (frame.t !== AuthFrameType.HELLO || frame.id !== undefined) {
      this.#s.logger.warn('unauthenticated peer sent a frame other than hello', { remoteAddress: this.#remoteAddress, type: frame.t });
      this.close(PeerCloseCode.AUTH_FAILED, 'not authenticated');
      return;
    }
    let hello;
    try {
      hello = parseHello(frame.p);
    } catch (e) {
      this.#protocolError(e);
      return;
    }
    const { key, clusterId, brokerId } = this.#s;
    const expected = clientMac(key, this.#serverNonce, hello.nonce, hello.brokerId, hello.clusterId);
    if (!macMatches(hello.mac, expected)) {
      this.#s.logger.warn('peer authentication failed: wrong cluster secret', {
        remoteAddress: this.#remoteAddress,
        claimedBrokerId: hello.brokerId,
      });
      this.close(PeerCloseCode.AUTH_FAILED, 'authentication failed');
      return;
    }
    if (hello.clusterId !== clusterId) {
      this.#s.logger.warn('peer belongs to another cluster', {
        remoteAddress: this.#remoteAddress,
        claimedBrokerId: hello.brokerId,
        peerClusterId: hello.clusterId,
        clusterId,
      });
      this.close(PeerCloseCode.CLUSTER_MISMATCH, 'cluster id mismatch');
      return;
    }
    this.#cancelHandshakeTimer?.();
    this.#cancelHandshakeTimer = undefined;
    this.#state = 'ready';
    this.#peer = { brokerId: hello.brokerId, remoteAddress: this.#remoteAddress };
    this.#send({
      v: FRAME_VERSION,
      t: AuthFrameType.WELCOME,
      p: { brokerId, mac: serverMac(key, hello.nonce, this.#serverNonce, brokerId, clusterId) },
    });
    this.#stopHeartbeat = startHeartbeat(this.#ws, this.#s.clock, this.#s.heartbeatIntervalMs, () => {
      this.#s.logger.warn('peer missed heartbeats; terminating', { brokerId: hello.brokerId, remoteAddress: this.#remoteAddress });
      this.terminate();
    });
    this.#s.logger.info('peer connected', { brokerId: hello.brokerId, remoteAddress: this.#remoteAddress });
  }

  #onPush(frame: Frame): void {
    const peer = this.#peer;
    if (peer === undefined) return;
    if (frame.t === AuthFrameType.HELLO) {
      this.#protocolError(new PeerProtocolError('hello after authentication'));
      return;
    }
    const handler = this.#s.pushHandler(frame.t);
    if (handler === undefined) {
      this.#s.logger.debug('push without a handler ignored', { type: frame.t, brokerId: peer.brokerId });
      return;
    }
    try {
      handler(frame.p, peer);
    } catch (e) {
      this.#s.logger.error('push handler failed', { type: frame.t, brokerId: peer.brokerId, err: e instanceof Error ? e.message : String(e) });
    }
  }

  #onRequest(frame: Frame, id: number): void {
    const peer = this.#peer;
    if (peer === undefined) return;
    const type = frame.t;
    const handler = this.#s.requestHandler(type);
    if (handler === undefined) {
      this.#send({ v: FRAME_VERSION, t: type, id, err: { code: 'INVALID_REQUEST', message: `no handler for peer request type ${type}` } });
      return;
    }
    void this.#handle(handler, type, id, frame.p, peer);
  }

  /** Runs one request handler and sends its response; never rejects. */
  async #handle(handler: RequestHandler, type: string, id: number, payload: unknown, peer: PeerInfo): Promise<void> {
    this.#inFlight++;
    this.#updateFlow();
    try {
      this.#respond(type, id, await handler(payload, peer));
    } catch (e) {
      if (!(e instanceof StreamkeeperError)) {
        this.#s.logger.error('peer request handler failed', { type, brokerId: peer.brokerId, err: e instanceof Error ? e.message : String(e) });
      }
      this.#send({ v: FRAME_VERSION, t: type, id, err: toFrameError(e) });
    } finally {
      this.#inFlight--;
      this.#updateFlow();
    }
  }

  #respond(type: string, id: number, result: unknown): void {
    let encoded: Buffer[];
    try {
      encoded = encodeFrameParts({ v: FRAME_VERSION, t: type, id, p: result });
    } catch (e) {
      this.#s.logger.error('peer response could not be encoded', { type, err: e instanceof Error ? e.message : String(e) });
      this.#send({ v: FRAME_VERSION, t: type, id, err: { code: 'UNKNOWN_SERVER_ERROR', message: 'response could not be encoded' } });
      return;
    }
    this.#writer.write(encoded);
  }

  /** Stops reading requests while too many are being handled or too many response bytes wait to be flushed. */
  #updateFlow(): void {
    if (this.#state === 'closing') return;
    const busy = this.#inFlight >= this.#s.maxInFlight || this.#writer.saturated;
    if (busy && !this.#ws.isPaused) this.#ws.pause();
    else if (!busy && this.#ws.isPaused) this.#ws.resume();
  }
}
