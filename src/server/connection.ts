import type { Socket } from 'node:net';
import { FrameTooLargeError } from '../protocol/errors.js';
import { FrameDecoder } from '../protocol/frame-decoder.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { DispatchOutcome } from './dispatcher.js';
import type { ConnectionInfo } from './request-context.js';

/** The part of the Dispatcher a connection needs (lets tests drive a connection with a fake). */
export interface RequestDispatcher {
  dispatch(connection: ConnectionInfo, frame: Buffer): Promise<DispatchOutcome>;
}

export const CONNECTION_DEFAULTS = {
  /** Requests decoded but not yet answered before the connection stops reading. */
  maxInFlightRequests: 200,
  /** Bytes queued in the socket before the connection stops reading until they drain. */
  writeHighWaterMark: 4 * 1024 * 1024,
  /** Kafka's connections.max.idle.ms. */
  connectionsMaxIdleMs: 600_000,
} as const;

export interface ConnectionOptions {
  readonly socket: Socket;
  readonly connectionId: string;
  readonly listenerName: string;
  readonly securityProtocol: string;
  readonly dispatcher: RequestDispatcher;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Kafka's socket.request.max.bytes: larger frames close the connection before anything is buffered. */
  readonly maxRequestBytes: number;
  readonly maxInFlightRequests?: number | undefined;
  readonly writeHighWaterMark?: number | undefined;
  readonly connectionsMaxIdleMs?: number | undefined;
  /** Called once, after the connection is closed for any reason. */
  readonly onClose?: (connection: Connection) => void;
}

/** A reserved place in the response order; filled when the request's outcome is known. */
interface Slot {
  outcome: DispatchOutcome | undefined;
}

/**
 * One Kafka client connection: framing, concurrent (pipelined) dispatch, responses written strictly in
 * request order, backpressure on both in-flight requests and unsent bytes, and the idle timeout.
 */
export class Connection {
  readonly info: ConnectionInfo;
  readonly #socket: Socket;
  readonly #dispatcher: RequestDispatcher;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #decoder: FrameDecoder;
  readonly #maxInFlight: number;
  readonly #writeHighWaterMark: number;
  readonly #idleMs: number;
  readonly #onClose: ((connection: Connection) => void) | undefined;
  readonly #abort = new AbortController();
  readonly #queue: Slot[] = [];
  #inFlight = 0;
  #paused = false;
  #closed = false;
  #lastActivityMs: number;
  #cancelIdle: (() => void) | undefined;

  constructor(options: ConnectionOptions) {
    this.#socket = options.socket;
    this.#dispatcher = options.dispatcher;
    this.#clock = options.clock;
    this.#maxInFlight = options.maxInFlightRequests ?? CONNECTION_DEFAULTS.maxInFlightRequests;
    this.#writeHighWaterMark = options.writeHighWaterMark ?? CONNECTION_DEFAULTS.writeHighWaterMark;
    this.#idleMs = options.connectionsMaxIdleMs ?? CONNECTION_DEFAULTS.connectionsMaxIdleMs;
    this.#onClose = options.onClose;
    this.#decoder = new FrameDecoder(options.maxRequestBytes);
    this.info = {
      connectionId: options.connectionId,
      clientAddress: `${this.#socket.remoteAddress ?? '?'}:${this.#socket.remotePort ?? '?'}`,
      listenerName: options.listenerName,
      securityProtocol: options.securityProtocol,
      signal: this.#abort.signal,
    };
    this.#logger = options.logger;
    this.#lastActivityMs = this.#clock.now();

    const socket = this.#socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('drain', () => this.#updateFlow());
    socket.on('error', (err) => {
      this.#logger.debug('socket error', { ...this.#fields(), error: err.message });
      this.close('socket error');
    });
    socket.on('close', () => this.#cleanup());
    this.#scheduleIdleCheck(this.#idleMs);
    socket.resume();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Requests received and not yet answered. */
  get inFlightRequests(): number {
    return this.#inFlight;
  }

  /** Close at once; responses not yet written are dropped (as Kafka does when it closes a channel). */
  close(reason: string): void {
    if (this.#closed) return;
    this.#logger.debug('closing connection', { ...this.#fields(), reason });
    this.#socket.destroy();
    this.#cleanup();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#lastActivityMs = this.#clock.now();
    let frames: Buffer[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (err) {
      if (err instanceof FrameTooLargeError) {
        this.#logger.warn('request frame size is over socket.request.max.bytes or negative; closing the connection', {
          ...this.#fields(),
          size: err.size,
          maxRequestBytes: err.maxFrameBytes,
        });
      } else {
        this.#logger.error('unexpected framing error; closing the connection', { ...this.#fields(), error: String(err) });
      }
      this.close('bad frame');
      return;
    }
    for (const frame of frames) {
      if (this.#closed) return;
      this.#startRequest(frame);
    }
    this.#updateFlow();
  }

  #startRequest(frame: Buffer): void {
    const slot: Slot = { outcome: undefined };
    this.#queue.push(slot);
    this.#inFlight++;
    void this.#dispatcher.dispatch(this.info, frame).then(
      (outcome) => this.#onOutcome(slot, outcome),
      (err: unknown) => {
        this.#logger.error('dispatcher failed; closing the connection', { ...this.#fields(), error: String(err) });
        this.#onOutcome(slot, { kind: 'close', reason: 'dispatcher failed' });
      },
    );
  }

  #onOutcome(slot: Slot, outcome: DispatchOutcome): void {
    this.#inFlight--;
    if (this.#closed) return;
    if (outcome.kind === 'close') {
      this.close(outcome.reason);
      return;
    }
    slot.outcome = outcome;
    this.#flush();
    this.#updateFlow();
  }

  /** Write every response at the head of the queue whose outcome is known, in request order. */
  #flush(): void {
    const socket = this.#socket;
    let corked = false;
    for (let head = this.#queue[0]; head?.outcome !== undefined; head = this.#queue[0]) {
      this.#queue.shift();
      if (head.outcome.kind !== 'response' || !socket.writable) continue;
      if (!corked) {
        socket.cork();
        corked = true;
      }
      for (const chunk of head.outcome.chunks) socket.write(chunk);
    }
    if (corked) {
      socket.uncork();
      this.#lastActivityMs = this.#clock.now();
    }
  }

  /** Stop reading while too many requests are outstanding or too many bytes wait to be sent. */
  #updateFlow(): void {
    if (this.#closed) return;
    const shouldPause =
      this.#inFlight >= this.#maxInFlight ||
      this.#socket.writableLength > this.#writeHighWaterMark;
    if (shouldPause && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    } else if (!shouldPause && this.#paused) {
      this.#paused = false;
      this.#socket.resume();
    }
  }

  /** The client closed its side. Like Kafka, stop there: requests still in flight are not answered. */
  #onEnd(): void {
    if (this.#decoder.bufferedBytes > 0) {
      this.#logger.debug('client closed in the middle of a frame', {
        ...this.#fields(),
        bufferedBytes: this.#decoder.bufferedBytes,
      });
    }
    this.close('end of stream');
  }

  #scheduleIdleCheck(delayMs: number): void {
    this.#cancelIdle = this.#clock.schedule(delayMs, () => {
      if (this.#closed) return;
      const idleForMs = this.#clock.now() - this.#lastActivityMs;
      if (this.#inFlight === 0 && idleForMs >= this.#idleMs) {
        this.#logger.debug('closing idle connection', { ...this.#fields(), idleForMs });
        this.close('idle');
        return;
      }
      this.#scheduleIdleCheck(this.#inFlight > 0 ? this.#idleMs : this.#idleMs - idleForMs);
    });
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelIdle?.();
    this.#queue.length = 0;
    this.#abort.abort();
    this.#onClose?.(this);
  }

  #fields(): Record<string, unknown> {
    return {
      connectionId: this.info.connectionId,
      clientAddress: this.info.clientAddress,
      listenerName: this.info.listenerName,
    };
  }
}
