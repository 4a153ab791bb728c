/**
 * A minimal pipelining Kafka client for the perf tools and benchmarks: one plain TCP socket, many requests in
 * flight, responses matched by correlation id. A request encoded once can be sent any number of times: only its
 * first 12 bytes (size, api key, version, correlation id) are written fresh, the rest is the same immutable buffer
 * each time. Responses are read with the socket's `onread` straight into a buffer per frame (DirectFrameReader),
 * so a large Fetch response is not copied again after the kernel wrote it.
 */
import net from 'node:net';
import { decodeResponse, encodeRequest } from '../../protocol/codec.js';
import { DirectFrameReader } from './direct-frame-reader.js';

/** size(4) + apiKey(2) + apiVersion(2) + correlationId(4). */
const FIXED_PREFIX = 12;
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/** A request encoded once; `tail` is everything after the correlation id. */
export interface PreparedRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly size: number;
  readonly tail: Buffer;
}

export function prepareRequest(apiKey: number, apiVersion: number, body: unknown, clientId = 'sk-bench'): PreparedRequest {
  const whole = Buffer.concat(encodeRequest({ apiKey, apiVersion, correlationId: 0, clientId }, body));
  return { apiKey, apiVersion, size: whole.readInt32BE(0), tail: whole.subarray(FIXED_PREFIX) };
}

interface Pending {
  resolve: (frame: Buffer) => void;
  reject: (err: Error) => void;
}

export class RawKafkaClient {
  readonly #socket: net.Socket;
  readonly #pending = new Map<number, Pending>();
  #nextCorrelationId = 1;
  #failure: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('connection closed by the broker')));
  }

  static async connect(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<RawKafkaClient> {
    const reader = new DirectFrameReader(MAX_RESPONSE_BYTES);
    let client: RawKafkaClient | undefined;
    return await new Promise((resolve, reject) => {
      const socket = net.connect({
        host,
        port,
        onread: {
          buffer: () => reader.nextBuffer(),
          callback: (n: number) => {
            let frames: Buffer[];
            try {
              frames = reader.read(n);
            } catch (err) {
              if (client !== undefined) client.#fail(err instanceof Error ? err : new Error(String(err)));
              socket.destroy();
              return false;
            }
            if (frames.length === 0) return true;
            if (client === undefined) {
              socket.destroy(new Error('the broker spoke before any request'));
              return false;
            }
            return client.#deliver(frames);
          },
        },
      });
      const fail = (err: Error): void => {
        socket.destroy();
        reject(err);
      };
      socket.setTimeout(timeoutMs, () => fail(new Error(`connecting to ${host}:${port} timed out after ${timeoutMs} ms`)));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeListener('error', fail);
        client = new RawKafkaClient(socket);
        resolve(client);
      });
    });
  }

  /** Hands complete response frames to their requests; false (and the connection closed) on a stray one. */
  #deliver(frames: readonly Buffer[]): boolean {
    for (const frame of frames) {
      const id = frame.length >= 4 ? frame.readInt32BE(0) : undefined;
      const p = id === undefined ? undefined : this.#pending.get(id);
      if (id === undefined || p === undefined) {
        this.#fail(new Error(id === undefined ? `response frame of ${frame.length} bytes has no correlation id` : `response with unknown correlation id ${id}`));
        this.#socket.destroy();
        return false;
      }
      this.#pending.delete(id);
      p.resolve(frame);
    }
    return true;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** True once the connection failed or was closed; every later send rejects. */
  get closed(): boolean {
    return this.#failure !== undefined;
  }

  /**
   * Sends a prepared request; resolves with the response frame (correlation id first). Unanswered after
   * `timeoutMs`, or when `signal` aborts first, the connection is closed and every request on it fails, as Kafka's
   * client does on request.timeout.ms (the responses still owed would arrive out of step otherwise).
   */
  async send(req: PreparedRequest, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Buffer> {
    if (this.#failure !== undefined) throw this.#failure;
    if (opts.signal?.aborted === true) throw new Error('request aborted');
    const id = this.#nextCorrelationId++;
    const response = new Promise<Buffer>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#write(req, id);
    const { timeoutMs, signal } = opts;
    if (timeoutMs === undefined && signal === undefined) return await response;
    const giveUp = (why: string): void => {
      if (!this.#pending.has(id)) return;
      this.#fail(new Error(why));
      this.#socket.destroy();
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => giveUp(`no response within ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => giveUp('request aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await response;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends a request the broker does not answer (Produce with acks=0). Resolves once its bytes are handed to the
   * kernel, so awaiting it is the only back-pressure a sender of unanswered requests gets.
   */
  async sendOneWay(req: PreparedRequest): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    await new Promise<void>((resolve, reject) => {
      this.#write(req, this.#nextCorrelationId++, (err) => (err === undefined || err === null ? resolve() : reject(err)));
    });
  }

  /** Encodes, sends and decodes one request (setup and checks, not the hot path); `opts` as for send. */
  async request<T>(apiKey: number, apiVersion: number, body: unknown, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const frame = await this.send(prepareRequest(apiKey, apiVersion, body), opts);
    return decodeResponse(frame, apiKey, apiVersion).body as T;
  }

  close(): void {
    this.#failure ??= new Error('client closed');
    this.#socket.destroy();
  }

  #write(req: PreparedRequest, correlationId: number, written?: (err?: Error | null) => void): void {
    const prefix = Buffer.allocUnsafe(FIXED_PREFIX);
    prefix.writeInt32BE(req.size, 0);
    prefix.writeInt16BE(req.apiKey, 4);
    prefix.writeInt16BE(req.apiVersion, 6);
    prefix.writeInt32BE(correlationId, 8);
    this.#socket.cork();
    this.#socket.write(prefix);
    this.#socket.write(req.tail, written);
    this.#socket.uncork();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
}
