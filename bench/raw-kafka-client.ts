/**
 * A minimal pipelining Kafka client for benchmarks: one plain TCP socket, many requests in flight, responses matched
 * by correlation id. A request encoded once can be sent any number of times: only its first 12 bytes (size, api key,
 * version, correlation id) are written fresh, the rest is the same immutable buffer each time.
 */
import net from 'node:net';
import { decodeResponse, encodeRequest } from '../src/protocol/codec.js';
import { FrameDecoder } from '../src/protocol/frame-decoder.js';

/** size(4) + apiKey(2) + apiVersion(2) + correlationId(4). */
const FIXED_PREFIX = 12;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

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
  readonly #decoder = new FrameDecoder(MAX_RESPONSE_BYTES);
  readonly #pending = new Map<number, Pending>();
  #nextCorrelationId = 1;
  #failure: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#decoder.push(chunk)) {
        const id = frame.readInt32BE(0);
        const p = this.#pending.get(id);
        if (p === undefined) {
          this.#fail(new Error(`response with unknown correlation id ${id}`));
          return;
        }
        this.#pending.delete(id);
        p.resolve(frame);
      }
    });
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('connection closed by the broker')));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    return await new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RawKafkaClient(socket));
      });
    });
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  /** Sends a prepared request; resolves with the response frame (correlation id first). */
  async send(req: PreparedRequest): Promise<Buffer> {
    if (this.#failure !== undefined) throw this.#failure;
    const id = this.#nextCorrelationId++;
    const prefix = Buffer.allocUnsafe(FIXED_PREFIX);
    prefix.writeInt32BE(req.size, 0);
    prefix.writeInt16BE(req.apiKey, 4);
    prefix.writeInt16BE(req.apiVersion, 6);
    prefix.writeInt32BE(id, 8);
    const response = new Promise<Buffer>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#socket.cork();
    this.#socket.write(prefix);
    this.#socket.write(req.tail);
    this.#socket.uncork();
    return await response;
  }

  /** Encodes, sends and decodes one request (setup and checks, not the hot path). */
  async request<T>(apiKey: number, apiVersion: number, body: unknown): Promise<T> {
    const frame = await this.send(prepareRequest(apiKey, apiVersion, body));
    return decodeResponse(frame, apiKey, apiVersion).body as T;
  }

  close(): void {
    this.#failure ??= new Error('client closed');
    this.#socket.destroy();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
}
