import net from 'node:net';

import { WireReader, WireWriter } from './wire.js';

/**
 * A raw Kafka TCP connection for tests: sends hand-built frames and reads size-prefixed response frames in order.
 * Knows nothing about the broker's code.
 */
export class RawConnection {
  readonly #socket: net.Socket;
  #chunks: Buffer = Buffer.alloc(0);
  readonly #frames: Buffer[] = [];
  readonly #waiters: Array<{ resolve: (b: Buffer) => void; reject: (e: Error) => void }> = [];
  #nextCorrelationId = 1;
  #closed = false;
  readonly #closedPromise: Promise<void>;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#closedPromise = new Promise<void>((resolve) => {
      socket.once('close', () => {
        this.#closed = true;
        for (const w of this.#waiters.splice(0)) w.reject(new Error('connection closed by the broker'));
        resolve();
      });
    });
    socket.on('error', () => {
      // ECONNRESET/EPIPE after the broker closed: visible through `closed`
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return await new Promise<RawConnection>((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  #onData(chunk: Buffer): void {
    this.#chunks = Buffer.concat([this.#chunks, chunk]);
    while (this.#chunks.length >= 4) {
      const size = this.#chunks.readInt32BE(0);
      if (this.#chunks.length < 4 + size) break;
      const frame = this.#chunks.subarray(4, 4 + size);
      this.#chunks = this.#chunks.subarray(4 + size);
      const waiter = this.#waiters.shift();
      if (waiter === undefined) this.#frames.push(frame);
      else waiter.resolve(frame);
    }
  }

  /** Writes raw bytes (no framing added). Resolves once flushed to the kernel, or when the socket failed. */
  async writeRaw(bytes: Buffer): Promise<void> {
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      this.#socket.write(bytes, () => resolve());
    });
  }

  /** The next response frame (without its size prefix). */
  async nextFrame(timeoutMs = 10_000): Promise<Buffer> {
    const ready = this.#frames.shift();
    if (ready !== undefined) return ready;
    if (this.#closed) throw new Error('connection closed by the broker');
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`no response within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        resolve: (b: Buffer) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e: Error) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /**
   * Sends one request (header v1, or v2 with an empty tagged-field section when `flexibleHeader`) and returns
   * the response with its correlation id checked and stripped; `reader` is positioned at the response body
   * (for a flexible response header the caller skips the tag section itself).
   */
  async request(
    apiKey: number,
    apiVersion: number,
    body: Buffer,
    opts: { flexibleHeader?: boolean; timeoutMs?: number } = {},
  ): Promise<WireReader> {
    const correlationId = this.#nextCorrelationId++;
    const header = new WireWriter().int16(apiKey).int16(apiVersion).int32(correlationId).string('sk-raw-test');
    if (opts.flexibleHeader === true) header.int8(0);
    const payload = Buffer.concat([header.build(), body]);
    await this.writeRaw(new WireWriter().int32(payload.length).raw(payload).build());
    const frame = await this.nextFrame(opts.timeoutMs ?? 10_000);
    const reader = new WireReader(frame);
    const got = reader.int32();
    if (got !== correlationId) throw new Error(`correlation id ${got}, expected ${correlationId}`);
    return reader;
  }

  /** True if the broker closes the connection within `timeoutMs`. */
  async waitClosed(timeoutMs: number): Promise<boolean> {
    if (this.#closed) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.#closedPromise.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Half-closes (FIN) our side. */
  end(): void {
    this.#socket.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

export const API = { produce: 0, fetch: 1, metadata: 3, apiVersions: 18 } as const;

/** Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data] (one partition). */
export function produceV3Body(topic: string, partition: number, batch: Buffer, acks = -1, timeoutMs = 10_000): Buffer {
  return new WireWriter()
    .string(null)
    .int16(acks)
    .int32(timeoutMs)
    .array([topic], (w, t) => {
      w.string(t).array([partition], (pw, p) => {
        pw.int32(p).bytes(batch);
      });
    })
    .build();
}

export interface ProducePartitionResult {
  readonly topic: string;
  readonly partition: number;
  readonly errorCode: number;
  readonly baseOffset: number;
}

/** Produce Response (Version: 3) => [responses] throttle_time_ms. */
export function parseProduceV3Response(r: WireReader): ProducePartitionResult[] {
  const out: ProducePartitionResult[] = [];
  r.array((tr) => {
    const topic = tr.string() ?? '';
    tr.array((pr) => {
      const partition = pr.int32();
      const errorCode = pr.int16();
      const baseOffset = pr.int64();
      pr.int64(); // log_append_time_ms
      out.push({ topic, partition, errorCode, baseOffset });
    });
  });
  r.int32(); // throttle_time_ms
  return out;
}

/** Fetch Request (Version: 4), one partition, read_uncommitted. */
export function fetchV4Body(topic: string, partition: number, fetchOffset: number, maxBytes: number): Buffer {
  return new WireWriter()
    .int32(-1) // replica_id
    .int32(100) // max_wait_ms
    .int32(0) // min_bytes
    .int32(maxBytes)
    .int8(0) // isolation_level
    .array([topic], (w, t) => {
      w.string(t).array([partition], (pw, p) => {
        pw.int32(p).int64(fetchOffset).int32(maxBytes);
      });
    })
    .build();
}

export interface FetchPartitionResult {
  readonly errorCode: number;
  readonly highWatermark: number;
  readonly records: Buffer;
}

/** Fetch Response (Version: 4) for the single partition asked for. */
export function parseFetchV4Response(r: WireReader): FetchPartitionResult {
  r.int32(); // throttle_time_ms
  const results: FetchPartitionResult[] = [];
  r.array((tr) => {
    tr.string();
    tr.array((pr) => {
      pr.int32(); // partition
      const errorCode = pr.int16();
      const highWatermark = pr.int64();
      pr.int64(); // last_stable_offset
      pr.array((ar) => [ar.int64(), ar.int64()]); // aborted_transactions
      const records = pr.bytes() ?? Buffer.alloc(0);
      results.push({ errorCode, highWatermark, records });
    });
  });
  const only = results[0];
  if (results.length !== 1 || only === undefined) throw new Error(`expected 1 partition in the fetch response, got ${results.length}`);
  return only;
}

/** Metadata Request (Version: 1) => [topics]; an empty array asks for brokers and controller only. */
export function metadataV1Body(topics: readonly string[] = []): Buffer {
  return new WireWriter().array(topics, (w, t) => w.string(t)).build();
}

/** The broker list and controller id of a Metadata Response (Version: 1) (topics are skipped). */
export function parseMetadataV1Cluster(r: WireReader): { brokerIds: number[]; controllerId: number } {
  const brokerIds = r.array((b) => {
    const id = b.int32();
    b.string(); // host
    b.int32(); // port
    b.string(); // rack
    return id;
  });
  return { brokerIds, controllerId: r.int32() };
}

/** Asks the broker on `port` for its view of the cluster (Metadata v1, no topics). */
export async function clusterView(port: number): Promise<{ brokerIds: number[]; controllerId: number }> {
  const conn = await RawConnection.connect(port);
  try {
    return parseMetadataV1Cluster(await conn.request(API.metadata, 1, metadataV1Body(), { timeoutMs: 3000 }));
  } finally {
    conn.destroy();
  }
}
