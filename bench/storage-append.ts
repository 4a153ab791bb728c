/**
 * Benchmark (not a test): PartitionLog append throughput with ~16 KiB batches of 1 KiB records, against raw
 * sequential 1 MiB `fs` writes in the same directory, then fetch-path read throughput over what was written.
 * Usage: node dist/bench/storage-append.js [dir] [seconds] [concurrentAppends]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import winston from 'winston';
import { defaultLogConfig } from '../src/storage/log-config.js';
import { PartitionLog } from '../src/storage/partition-log.js';
import { systemClock } from '../src/util/clock.js';
import { buildBatch } from '../test/storage/batch-builder.js';

const RECORD_BYTES = 1024;
const RECORDS_PER_BATCH = 16;
const MiB = 1024 * 1024;

/** One magic-2 batch: 61-byte header + 16 records of roughly 1 KiB each (record framing is irrelevant to storage). */
function templateBatch(): Buffer {
  return buildBatch({ recordCount: RECORDS_PER_BATCH, payload: Buffer.alloc(RECORDS_PER_BATCH * (RECORD_BYTES + 8), 0x5a), baseTimestamp: Date.now() });
}

function mbPerSec(bytes: number, ms: number): string {
  return ((bytes / MiB) * 1000 / ms).toFixed(1);
}

async function benchAppend(dir: string, seconds: number, concurrency: number): Promise<{ log: PartitionLog; bytes: number }> {
  const log = await PartitionLog.open({
    dir: path.join(dir, 'bench-0'),
    topic: 'bench',
    partition: 0,
    config: { ...defaultLogConfig },
    clock: systemClock,
    logger: winston.createLogger({ silent: true }),
    hadCleanShutdown: true,
  });
  const template = templateBatch();
  const deadline = Date.now() + seconds * 1000;
  let bytes = 0;
  let appends = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const result = await log.append(Buffer.from(template), { assignOffsets: true, leaderEpoch: 0 });
      bytes += result.appendedBytes;
      appends++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - start;
  console.log(`PartitionLog.append: ${appends} batches of ${template.length} B, ${concurrency} in flight: ${mbPerSec(bytes, ms)} MB/s (${((appends * 1000) / ms).toFixed(0)} appends/s)`);
  return { log, bytes };
}

async function benchRead(log: PartitionLog): Promise<void> {
  let offset = log.logStartOffset;
  let bytes = 0;
  let reads = 0;
  const start = performance.now();
  while (offset < log.logEndOffset) {
    const { records } = await log.read(offset, { maxBytes: MiB, minOneBatch: true });
    if (records === null) break;
    bytes += records.length;
    reads++;
    // Next offset: after the last batch returned (walk the headers).
    let pos = 0;
    let last = offset;
    while (pos < records.length) {
      last = Number(records.readBigInt64BE(pos)) + records.readInt32BE(pos + 23);
      pos += records.readInt32BE(pos + 8) + 12;
    }
    offset = last + 1;
  }
  const ms = performance.now() - start;
  console.log(`PartitionLog.read (1 MiB fetches, page cache): ${reads} reads, ${mbPerSec(bytes, ms)} MB/s`);
}

async function benchRawWrite(dir: string, seconds: number): Promise<void> {
  const file = path.join(dir, 'raw.bin');
  const chunk = Buffer.alloc(MiB, 0x5a);
  const fh = await fs.promises.open(file, 'w');
  const deadline = Date.now() + seconds * 1000;
  let bytes = 0;
  const start = performance.now();
  while (Date.now() < deadline) {
    await fh.write(chunk, 0, chunk.length, bytes);
    bytes += chunk.length;
  }
  const ms = performance.now() - start;
  await fh.close();
  console.log(`raw fs sequential 1 MiB writes: ${mbPerSec(bytes, ms)} MB/s`);
  await fs.promises.rm(file);
}

async function main(): Promise<void> {
  const base = process.argv[2] ?? os.tmpdir();
  const seconds = Number(process.argv[3] ?? '3');
  const concurrency = Number(process.argv[4] ?? '8');
  const dir = await fs.promises.mkdtemp(path.join(base, 'sk-bench-'));
  try {
    console.log(`directory: ${dir}`);
    await benchRawWrite(dir, seconds);
    const { log } = await benchAppend(dir, seconds, concurrency);
    await benchRead(log);
    await log.close();
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

await main();
