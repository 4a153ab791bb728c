/**
 * Inter-broker channel benchmark over loopback. The PeerServer runs in a worker thread (its own event loop, as a
 * remote broker would), the PeerClient in the main thread.
 *   node dist/bench/peer-channel.js [--seconds 3]
 * Prints: codec cost of a controller-sized frame, produce-like and fetch-like throughput with 64 KiB binary
 * payloads (MB/s), and round-trip latency p50/p99 of small requests.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { Packr } from 'msgpackr';
import winston from 'winston';
import { systemClock } from '../src/util/clock.js';
import { decodeFrame, encodeFrame, FRAME_VERSION, PEER_PATH } from '../src/replication/frames.js';
import { PeerClient } from '../src/replication/peer-client.js';
import { PeerServer } from '../src/replication/peer-server.js';

const SECRET = 'bench-secret';
const CLUSTER_ID = 'bench-cluster';
const BLOCK = 64 * 1024;
const logger = winston.createLogger({ level: 'warn', transports: [new winston.transports.Console()] });

async function serve(): Promise<void> {
  const peer = new PeerServer({ brokerId: 1, clusterId: CLUSTER_ID, secret: SECRET, logger, clock: systemClock, maxInFlightPerConnection: 256 });
  const block = Buffer.alloc(BLOCK, 0x5a);
  peer.onRequest('Produce', async (p) => ({ bytes: (p as { records: Buffer }).records.length }));
  peer.onRequest('Fetch', async () => ({ records: block }));
  peer.onRequest('Ping', async (p) => p);
  const http = createServer();
  http.on('upgrade', (req, socket, head: Buffer) => peer.handleUpgrade(req, socket, head));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  parentPort?.postMessage((http.address() as AddressInfo).port);
}

function codec(): void {
  const partitions = Array.from({ length: 50 }, (_, i) => ({
    topicName: 'orders-eu-west',
    partitionIndex: i,
    controllerEpoch: 12,
    leader: i % 3,
    leaderEpoch: 40 + i,
    isr: [0, 1, 2],
    partitionEpoch: 77,
    replicas: [0, 1, 2],
    addingReplicas: [],
    removingReplicas: [],
    isNew: false,
  }));
  const frame = { v: FRAME_VERSION, t: 'LeaderAndIsr', id: 1, p: { controllerId: 0, controllerEpoch: 12, brokerEpoch: 4242, partitions } } as const;
  const records = new Packr({ useRecords: true, structures: [] });
  const cases: [string, () => void][] = [
    ['frames.ts (useRecords:false) encode+decode', () => decodeFrame(encodeFrame(frame))],
    ['msgpackr records (useRecords:true) encode+decode', () => records.unpack(records.pack(frame))],
    ['JSON.stringify+parse (reference)', () => JSON.parse(JSON.stringify(frame))],
  ];
  console.log(`codec, LeaderAndIsr with 50 partitions (${encodeFrame(frame).length} bytes as frame):`);
  for (const [name, run] of cases) {
    for (let i = 0; i < 2_000; i++) run();
    const n = 20_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run();
    const us = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    console.log(`  ${name.padEnd(50)} ${us.toFixed(2)} µs/frame`);
  }
}

async function throughput(client: PeerClient, type: 'Produce' | 'Fetch', seconds: number): Promise<void> {
  const payload = type === 'Produce' ? { records: Buffer.alloc(BLOCK, 0xa5) } : { maxBytes: BLOCK };
  const deadline = Date.now() + seconds * 1000;
  let bytes = 0;
  let requests = 0;
  const t0 = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const res = await client.request<{ records?: Buffer }>(type, payload);
      bytes += type === 'Produce' ? BLOCK : (res.records?.length ?? 0);
      requests++;
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${type.padEnd(8)} 64 KiB x ${requests} in ${secs.toFixed(2)} s: ${(bytes / 1e6 / secs).toFixed(0)} MB/s, ${(requests / secs).toFixed(0)} req/s`);
}

async function latency(client: PeerClient, n: number): Promise<void> {
  const samples = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await client.request('Ping', { i, topic: 'orders', partition: 3 });
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
  samples.sort();
  const q = (f: number): string => (samples[Math.min(n - 1, Math.floor(f * n))] ?? NaN).toFixed(0);
  console.log(`small request round trip (${n} sequential): p50 ${q(0.5)} µs, p99 ${q(0.99)} µs, max ${q(1)} µs`);
}

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--seconds');
  const seconds = arg > 0 ? Number(process.argv[arg + 1]) : 3;
  codec();
  const worker = new Worker(new URL(import.meta.url));
  const [port] = (await once(worker, 'message')) as [number];
  const client = new PeerClient({
    url: `ws://127.0.0.1:${port}${PEER_PATH}`,
    brokerId: 2,
    clusterId: CLUSTER_ID,
    secret: SECRET,
    logger,
    clock: systemClock,
    maxInFlight: 32,
  });
  await client.request('Ping', 'warm-up');
  await latency(client, 2_000); // warm-up
  await throughput(client, 'Produce', seconds);
  await throughput(client, 'Fetch', seconds);
  await latency(client, 10_000);
  await client.close();
  await worker.terminate();
}

if (isMainThread) await main();
else await serve();
