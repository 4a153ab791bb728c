import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { Connection, CONNECTION_DEFAULTS } from './connection.js';
import type { RequestDispatcher } from './connection.js';

export interface ListenerConfig {
  readonly name: string;
  readonly host: string;
  /** 0 picks a free port; `start()` reports the bound one. */
  readonly port: number;
  /** Only PLAINTEXT is served: no TLS, and no SASL authentication (a SASL listener would let anyone in). */
  readonly securityProtocol: string;
}

export interface BoundListener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export type HttpUpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
export type HttpRequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SocketServerOptions {
  readonly listeners: readonly ListenerConfig[];
  readonly dispatcher: RequestDispatcher;
  readonly logger: Logger;
  readonly clock: Clock;
  /** socket.request.max.bytes */
  readonly maxRequestBytes: number;
  readonly maxInFlightRequests?: number;
  readonly writeHighWaterMark?: number;
  /** connections.max.idle.ms */
  readonly connectionsMaxIdleMs?: number;
  /** An HTTP Upgrade arriving on a Kafka port (e.g. the replication WebSocket); the socket is then the callee's. */
  readonly onHttpUpgrade?: HttpUpgradeHandler;
  /** Plain HTTP requests on a Kafka port; without it they get 404. */
  readonly onHttpRequest?: HttpRequestHandler;
}

/**
 * `GET ` read as a big-endian int32 is 1195725856, above any allowed frame size, so a connection opening
 * with these bytes can never be Kafka and is handed to an HTTP server instead.
 */
const HTTP_PREFIX = Buffer.from('GET ', 'latin1');
const SUPPORTED_PROTOCOLS: ReadonlySet<string> = new Set(['PLAINTEXT']);

/** Accepts connections on every listener and gives each one to a Kafka Connection or to the HTTP side. */
export class SocketServer {
  readonly #options: SocketServerOptions;
  readonly #logger: Logger;
  readonly #servers: NetServer[] = [];
  readonly #connections = new Set<Connection>();
  /** Sockets still being sniffed, or held by the HTTP server before any upgrade. */
  readonly #otherSockets = new Set<Socket>();
  readonly #httpServer: HttpServer;
  #nextConnectionIndex = 0;
  #stopped = false;

  constructor(options: SocketServerOptions) {
    if (!Number.isInteger(options.maxRequestBytes) || options.maxRequestBytes <= 0) {
      throw new Error(`socket.request.max.bytes must be a positive integer, got ${options.maxRequestBytes}`);
    }
    if (options.maxRequestBytes >= HTTP_PREFIX.readInt32BE(0)) {
      throw new Error(`socket.request.max.bytes ${options.maxRequestBytes} would let HTTP be read as a Kafka frame`);
    }
    for (const listener of options.listeners) {
      if (!SUPPORTED_PROTOCOLS.has(listener.securityProtocol)) {
        throw new Error(`listener ${listener.name}: security protocol ${listener.securityProtocol} is not supported`);
      }
    }
    this.#options = options;
    this.#logger = options.logger;
    this.#httpServer = createHttpServer((req, res) => this.#onHttpRequest(req, res));
    this.#httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#otherSockets.delete(socket as Socket);
      if (this.#options.onHttpUpgrade === undefined) {
        socket.destroy();
        return;
      }
      this.#options.onHttpUpgrade(req, socket, head);
    });
  }

  /** Bind every listener; resolves with the bound addresses (so port 0 works). */
  async start(): Promise<BoundListener[]> {
    const bound: BoundListener[] = [];
    try {
      for (const listener of this.#options.listeners) {
        const server = createNetServer({ noDelay: true, keepAlive: true, allowHalfOpen: true });
        server.on('connection', (socket) => this.#onSocket(socket, listener));
        server.on('error', (err) => this.#logger.error('listener error', { listener: listener.name, error: err.message }));
        this.#servers.push(server);
        await listen(server, listener.host, listener.port);
        const address = server.address() as AddressInfo;
        bound.push({ name: listener.name, host: listener.host, port: address.port });
        this.#logger.info('listening', { listener: listener.name, host: listener.host, port: address.port });
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    return bound;
  }

  /** Stop accepting and close every connection (Kafka and HTTP not yet upgraded). */
  async stop(): Promise<void> {
    this.#stopped = true;
    const closing = this.#servers.map((server) => closeServer(server));
    this.#servers.length = 0;
    for (const connection of [...this.#connections]) connection.close('server stopping');
    for (const socket of this.#otherSockets) socket.destroy();
    this.#otherSockets.clear();
    await Promise.all(closing);
  }

  /** Open Kafka connections. */
  connectionCount(): number {
    return this.#connections.size;
  }

  #onSocket(socket: Socket, listener: ListenerConfig): void {
    if (this.#stopped) {
      socket.destroy();
      return;
    }
    this.#otherSockets.add(socket);
    const chunks: Buffer[] = [];
    let length = 0;
    const cancelTimeout = this.#options.clock.schedule(
      this.#options.connectionsMaxIdleMs ?? CONNECTION_DEFAULTS.connectionsMaxIdleMs,
      () => socket.destroy(),
    );
    const onError = (err: Error): void => {
      this.#logger.debug('socket error before the first request', { error: err.message });
      socket.destroy();
    };
    const onClose = (): void => {
      cancelTimeout();
      this.#otherSockets.delete(socket);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      const head = chunks.length === 1 ? chunk : Buffer.concat(chunks, length);
      const seen = Math.min(head.length, HTTP_PREFIX.length);
      const maybeHttp = head.subarray(0, seen).equals(HTTP_PREFIX.subarray(0, seen));
      if (maybeHttp && seen < HTTP_PREFIX.length) return;
      socket.removeListener('data', onData);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      cancelTimeout();
      socket.pause();
      socket.unshift(head);
      if (maybeHttp) {
        this.#toHttp(socket);
      } else {
        this.#otherSockets.delete(socket);
        this.#toKafka(socket, listener);
      }
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  }

  #toHttp(socket: Socket): void {
    socket.on('close', () => this.#otherSockets.delete(socket));
    this.#httpServer.emit('connection', socket);
    socket.resume();
  }

  #toKafka(socket: Socket, listener: ListenerConfig): void {
    const index = this.#nextConnectionIndex++;
    const connectionId =
      `${socket.localAddress ?? '?'}:${socket.localPort ?? '?'}-` +
      `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}-${index}`;
    const o = this.#options;
    const connection = new Connection({
      socket,
      connectionId,
      listenerName: listener.name,
      securityProtocol: listener.securityProtocol,
      dispatcher: o.dispatcher,
      logger: this.#logger,
      clock: o.clock,
      maxRequestBytes: o.maxRequestBytes,
      maxInFlightRequests: o.maxInFlightRequests,
      writeHighWaterMark: o.writeHighWaterMark,
      connectionsMaxIdleMs: o.connectionsMaxIdleMs,
      onClose: (c) => this.#connections.delete(c),
    });
    if (!connection.closed) this.#connections.add(connection);
  }

  #onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    if (this.#options.onHttpRequest !== undefined) {
      this.#options.onHttpRequest(req, res);
      return;
    }
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain');
    res.end('not found\n');
  }
}

function listen(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.removeListener('error', onError);
      resolve();
    });
  });
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}
