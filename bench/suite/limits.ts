/**
 * The two limits the scenarios are measured against, taken in the same run:
 * - fs append: sequential 1 MiB writes of Node's `fs` to one file in the data directory, fsync at the end (the
 *   fsync is inside the timing), until a byte budget or a time budget is used up;
 * - TCP loopback: one socket, 1 MiB writes, the receiver in a worker thread (its own event loop, as a broker and
 *   a client are separate processes) counting what arrives.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const MiB = 1024 * 1024;

export interface Throughput {
  readonly bytes: number;
  readonly ms: number;
  /** Bytes per second. */
  readonly rate: number;
}

export async function measureFsAppend(dir: string, maxBytes: number, maxMs: number): Promise<Throughput> {
  const file = path.join(dir, 'fs-append-limit.bin');
  const chunk = Buffer.alloc(MiB, 0x5a);
  const fh = await fs.promises.open(file, 'w');
  let bytes = 0;
  let ms = 0;
  try {
    const start = performance.now();
    while (bytes < maxBytes && performance.now() - start < maxMs) {
      const { bytesWritten } = await fh.write(chunk, 0, chunk.length, bytes);
      bytes += bytesWritten;
    }
    await fh.sync();
    ms = performance.now() - start;
  } finally {
    await fh.close();
    await fs.promises.rm(file, { force: true });
  }
  return { bytes, ms, rate: (bytes * 1000) / ms };
}

interface SinkReport {
  readonly bytes: number;
  readonly ms: number;
}

/** Worker side: accept one connection, count its bytes from the first to the last, report when it closes. */
async function runSink(): Promise<void> {
  const server = net.createServer((socket) => {
    let bytes = 0;
    let first = 0;
    let last = 0;
    socket.on('data', (c: Buffer) => {
      last = performance.now();
      if (bytes === 0) first = last;
      bytes += c.length;
    });
    socket.on('close', () => {
      parentPort?.postMessage({ bytes, ms: last - first } satisfies SinkReport);
      server.close();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  parentPort?.postMessage((server.address() as net.AddressInfo).port);
}

export async function measureLoopback(ms: number): Promise<Throughput> {
  const worker = new Worker(new URL(import.meta.url), { workerData: 'loopback-sink' });
  try {
    const [port] = (await once(worker, 'message')) as [number];
    const report = new Promise<SinkReport>((resolve) => worker.once('message', (m: SinkReport) => resolve(m)));
    const socket = net.connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    const chunk = Buffer.alloc(MiB, 0xa5);
    const deadline = performance.now() + ms;
    while (performance.now() < deadline) {
      if (!socket.write(chunk)) await once(socket, 'drain');
    }
    socket.end();
    await once(socket, 'close');
    const r = await report;
    return { bytes: r.bytes, ms: r.ms, rate: (r.bytes * 1000) / r.ms };
  } finally {
    await worker.terminate();
  }
}

if (!isMainThread && workerData === 'loopback-sink') await runSink();
