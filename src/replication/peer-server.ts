import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { AuthFrameType, HANDSHAKE_TIMEOUT_MS, secretKey } from './auth.js';
import type { PeerIdentity } from './auth.js';
import { PEER_PATH, PeerCloseCode } from './frames.js';
import { DEFAULT_HIGH_WATER_MARK_BYTES } from './frame-writer.js';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from './heartbeat.js';
import { PeerRemoteError } from './peer-errors.js';
import { ServerConnection, toFrameError } from './server-connection.js';
import type { PushHandler, RequestHandler } from './server-connection.js';

export type { PeerInfo, PushHandler, RequestHandler } from './server-connection.js';

/** Kafka's socket.request.max.bytes default. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 100 * 1024 * 1024;
const DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 64;
const CLOSE_GRACE_MS = 2_000;

export interface PeerServerOptions extends PeerIdentity {
  /** Largest accepted WebSocket message; bigger ones close the connection (1009). */
  maxPayloadBytes?: number;
  heartbeatIntervalMs?: number;
  handshakeTimeoutMs?: number;
  /** Requests handled at once per connection; beyond it the server stops reading that socket. */
  maxInFlightPerConnection?: number;
  /** Unflushed response bytes per connection beyond which the server stops reading that socket. */
  highWaterMarkBytes?: number;
}

/**
 * The receiving end of the inter-broker channel. The broker's socket server hands it WebSocket upgrades for
 * PEER_PATH; after mutual authentication each connection's requests go to the handlers registered here.
 */
export class PeerServer {
  readonly #brokerId: number;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<ServerConnection>();
  readonly #requestHandlers = new Map<string, RequestHandler>();
  readonly #pushHandlers = new Map<string, PushHandler>();
  readonly #connectionSettings;
  #closing: Promise<void> | undefined;

  constructor(options: PeerServerOptions) {
    const key = secretKey(options.secret);
    this.#brokerId = options.brokerId;
    this.#logger = options.logger;
    this.#clock = options.clock;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      perMessageDeflate: false,
      skipUTF8Validation: true,
      clientTracking: false,
    });
    this.#connectionSettings = {
      brokerId: options.brokerId,
      clusterId: options.clusterId,
      key,
      logger: options.logger,
      clock: options.clock,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
      maxInFlight: options.maxInFlightPerConnection ?? DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION,
      highWaterMarkBytes: options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES,
      requestHandler: (type: string) => this.#requestHandlers.get(type),
      pushHandler: (type: string) => this.#pushHandlers.get(type),
    };
  }

  /** For the HTTP server's 'upgrade' event. Upgrades to other paths get 404 and are closed. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? '/', 'http://peer').pathname;
    if (path !== PEER_PATH) {
      rejectUpgrade(socket, '404 Not Found');
      return;
    }
    if (this.#closing !== undefined) {
      rejectUpgrade(socket, '503 Service Unavailable');
      return;
    }
    socket.on('error', () => socket.destroy());
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (this.#closing !== undefined) {
        ws.terminate();
        return;
      }
      const remoteAddress = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
      const connection = new ServerConnection(ws, remoteAddress, this.#connectionSettings);
      this.#connections.add(connection);
      ws.once('close', () => this.#connections.delete(connection));
    });
  }

  /** Registers the handler of one request type. Its result (or error) is sent back tagged with the request id. */
  onRequest(type: string, handler: RequestHandler): void {
    this.#register(this.#requestHandlers, type, handler);
  }

  /** Registers the handler of one push type (frames without a request id; nothing is sent back). */
  onPush(type: string, handler: PushHandler): void {
    this.#register(this.#pushHandlers, type, handler);
  }

  #register<H>(map: Map<string, H>, type: string, handler: H): void {
    if (type.length === 0 || Object.values(AuthFrameType).includes(type as never)) {
      throw new Error(`invalid peer message type "${type}"`);
    }
    if (this.#requestHandlers.has(type) || this.#pushHandlers.has(type)) {
      throw new Error(`a handler for peer message type "${type}" is already registered`);
    }
    map.set(type, handler);
  }

  /**
   * Runs a registered request handler for this broker itself (no socket, no encoding: the payload object is
   * passed as is). Failures become PeerRemoteError exactly as they would for a remote caller.
   */
  async dispatchLocal(type: string, payload: unknown): Promise<unknown> {
    const handler = this.#requestHandlers.get(type);
    if (handler === undefined) throw new PeerRemoteError('INVALID_REQUEST', `no handler for peer request type ${type}`);
    try {
      return await handler(payload, { brokerId: this.#brokerId, remoteAddress: 'local' });
    } catch (e) {
      const { code, message } = toFrameError(e);
      throw new PeerRemoteError(code, message, { cause: e });
    }
  }

  /** Broker ids with at least one authenticated connection, ascending. */
  connectedPeers(): number[] {
    const ids = new Set<number>();
    for (const c of this.#connections) {
      const id = c.brokerId;
      if (id !== undefined) ids.add(id);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Closes every connection (1001) and refuses new ones; connections that do not finish closing in time are terminated. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const connections = [...this.#connections];
    for (const c of connections) c.close(PeerCloseCode.GOING_AWAY, 'broker shutting down');
    const cancel = this.#clock.schedule(CLOSE_GRACE_MS, () => {
      for (const c of connections) c.terminate();
    });
    await Promise.all(connections.map((c) => c.closed));
    cancel();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#logger.debug('peer server closed', { brokerId: this.#brokerId });
  }
}

function rejectUpgrade(socket: Duplex, status: string): void {
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
