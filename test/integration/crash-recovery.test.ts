// One real broker with 64 KiB segments, killed with SIGKILL while kafkajs produces with acks=-1; the tail of the
// last segment is then damaged (garbage appended, then a cut-off last batch). After a restart every acknowledged
// record must be served at its offset, every served batch must have a valid CRC-32C, nothing after the last valid
// batch may be served, and the next append must continue right after it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { newKafka } from '../harness/clients.js';
import { useCluster } from '../harness/fixture.js';
import { kcat } from '../harness/kcat.js';
import { randomTopic } from '../harness/paths.js';
import { API, RawConnection, fetchV4Body, parseFetchV4Response } from '../harness/raw-connection.js';
import { parseRecordSet, type ParsedBatch } from '../harness/record-batch.js';

const PARTITIONS = 2;
const SEGMENT_BYTES = 64 * 1024;
const RECORDS_PER_SEND = 20;
/** UNKNOWN_TOPIC_OR_PARTITION, LEADER_NOT_AVAILABLE, NOT_LEADER_OR_FOLLOWER: the partition is not served yet. */
const RETRIABLE = new Set([3, 5, 6]);

/** offset -> value of every acknowledged record, per partition. */
type Acked = Array<Map<number, string>>;

describe('crash recovery of a single broker', { timeout: 180_000 }, () => {
  const fx = useCluster({
    brokers: 1,
    zkTickMs: 500,
    overrides: { 'log.segment.bytes': String(SEGMENT_BYTES), 'zookeeper.session.timeout.ms': '4000' },
  });
  const topic = randomTopic('crash');
  const acked: Acked = Array.from({ length: PARTITIONS }, () => new Map());
  let sequence = 0;

  const partitionDir = (p: number): string => path.join(fx.cluster.broker(1).dataDir, 'kafka-logs', `${topic}-${p}`);
  const segments = (p: number): string[] => {
    const dir = partitionDir(p);
    assert.ok(fs.existsSync(dir), `partition directory ${dir} exists (log.dirs layout <topic>-<partition>)`);
    return fs.readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).sort().map((f) => path.join(dir, f));
  };

  /** Whole, CRC-valid batches of a segment file with their byte positions, and where the last one ends. */
  const scanSegment = (file: string): { batches: ParsedBatch[]; starts: number[]; validBytes: number } => {
    const buf = fs.readFileSync(file);
    const batches: ParsedBatch[] = [];
    const starts: number[] = [];
    let validBytes = 0;
    for (const b of parseRecordSet(buf).batches) {
      if (!b.crcValid) break;
      batches.push(b);
      starts.push(validBytes);
      validBytes += 12 + buf.readInt32BE(validBytes + 8);
    }
    return { batches, starts, validBytes };
  };

  /** Produces from two workers (one per partition) until the broker dies under them; returns when both stopped. */
  const produceUntilKilled = async (killAfterAcked: number): Promise<void> => {
    const producerKafka = newKafka(fx.cluster.bootstrap, 'sk-crash-producer');
    const producer = producerKafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    let ackedThisRun = 0;
    let killing: Promise<void> | undefined;
    let lastError: unknown;
    const worker = async (p: number): Promise<void> => {
      for (;;) {
        const values = Array.from({ length: RECORDS_PER_SEND }, () => `v-${p}-${sequence++}-${randomBytes(90).toString('hex')}`);
        let res;
        try {
          res = await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value, partition: p })) });
        } catch (err) {
          lastError ??= err;
          return; // the broker is gone (or the send failed): this send is not acknowledged
        }
        const r = res.find((x) => x.partition === p);
        assert.equal(r?.errorCode, 0);
        const base = Number(r?.baseOffset);
        values.forEach((v, i) => acked[p]?.set(base + i, v));
        ackedThisRun += values.length;
        if (ackedThisRun >= killAfterAcked && killing === undefined) killing = fx.cluster.kill(1, 'SIGKILL');
      }
    };
    await Promise.all([0, 1].map(async (p) => await worker(p)));
    await killing;
    await producer.disconnect().catch(() => undefined);
    assert.ok(killing !== undefined, `producing stopped after ${ackedThisRun} acknowledged records, before the kill: ${String(lastError)}`);
    assert.ok(!fx.cluster.isRunning(1), 'the broker was killed');
  };

  /** Reads partition p with raw Fetch v4 requests; checks the CRC-32C of every batch. */
  const readRaw = async (p: number): Promise<{ highWatermark: number; records: Map<number, string>; batches: number }> => {
    const conn = await RawConnection.connect(fx.cluster.broker(1).port);
    const records = new Map<number, string>();
    let offset = 0;
    let highWatermark = -1;
    let batches = 0;
    try {
      // Right after a restart the partition is served only once the controller has made this broker its leader again.
      await fx.cluster.waitFor(
        async () => {
          const res = parseFetchV4Response(await conn.request(API.fetch, 4, fetchV4Body(topic, p, 0, 1)));
          if (!RETRIABLE.has(res.errorCode)) assert.equal(res.errorCode, 0, `fetch ${topic}-${p}@0`);
          return res.errorCode === 0;
        },
        { timeoutMs: 15_000, what: `${topic}-${p} to be served after the restart` },
      );
      for (;;) {
        const res = parseFetchV4Response(await conn.request(API.fetch, 4, fetchV4Body(topic, p, offset, 256 * 1024)));
        assert.equal(res.errorCode, 0, `fetch ${topic}-${p}@${offset}`);
        highWatermark = res.highWatermark;
        if (offset >= highWatermark) break;
        const set = parseRecordSet(res.records);
        assert.ok(set.batches.length > 0, `fetch at ${offset} below the high watermark ${highWatermark} returned a whole batch`);
        for (const b of set.batches) {
          assert.ok(b.crcValid, `CRC-32C of the batch at ${b.baseOffset} (stored ${b.crc}, computed ${b.computedCrc})`);
          assert.equal(b.records.length, b.recordCount);
          batches++;
          for (const r of b.records) if (r.offset >= offset) records.set(r.offset, r.value?.toString() ?? '');
          offset = b.lastOffset + 1;
        }
      }
    } finally {
      conn.destroy();
    }
    return { highWatermark, records, batches };
  };

  /** After a restart: partition p serves exactly offsets 0..end-1, holds every acknowledged record, and appends at end. */
  const verifyPartition = async (p: number, end: number): Promise<void> => {
    const { highWatermark, records } = await readRaw(p);
    assert.equal(highWatermark, end, `high watermark of partition ${p} = end of the last valid batch`);
    assert.deepEqual([...records.keys()], Array.from({ length: end }, (_, i) => i), `offsets of partition ${p} are 0..${end - 1}`);
    for (const [offset, value] of acked[p] ?? []) {
      assert.equal(records.get(offset), value, `acknowledged record ${p}@${offset}`);
    }
    const producer = fx.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const value = `after-restart-${p}-${sequence++}`;
      const [r] = await producer.send({ topic, acks: -1, messages: [{ value, partition: p }] });
      assert.equal(Number(r?.baseOffset), end, `the next append to partition ${p} continues at ${end}`);
      acked[p]?.set(end, value);
    } finally {
      await producer.disconnect();
    }
    const viaKcat = await kcat(
      ['-b', fx.cluster.bootstrap.join(','), '-C', '-e', '-t', topic, '-p', String(p), '-o', 'beginning', '-X', 'check.crcs=true', '-f', '%o\n'],
      { timeoutMs: 30_000 },
    );
    assert.equal(viaKcat.code, 0, `kcat: ${viaKcat.stderr}`);
    assert.doesNotMatch(viaKcat.stderr, /error|crc|corrupt/i);
    assert.equal(viaKcat.stdout.trim().split('\n').length, end + 1, 'kcat reads every record');
  };

  /** Expected log end per partition from the segment files: end of the last whole CRC-valid batch. */
  const validEnd = (p: number): number => {
    for (const file of segments(p).reverse()) {
      const last = scanSegment(file).batches.at(-1);
      if (last !== undefined) return last.lastOffset + 1;
    }
    return 0;
  };

  const restart = async (): Promise<void> => {
    await fx.cluster.waitDeregistered(1, 20_000);
    await fx.cluster.start(1);
  };

  before(async () => {
    await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  });

  test('run 1: SIGKILL mid-produce, random garbage appended to the last segment', async () => {
    await fx.cluster.guard(async () => {
      await produceUntilKilled(3000);
      assert.ok(segments(0).length >= 3, `several segments (${segments(0).length}) with log.segment.bytes=${SEGMENT_BYTES}`);
      const ends = [validEnd(0), validEnd(1)];
      for (const p of [0, 1]) {
        const maxAcked = Math.max(...(acked[p]?.keys() ?? []));
        assert.ok(ends[p]! > maxAcked, `partition ${p}: acknowledged offset ${maxAcked} is on disk (valid end ${ends[p]})`);
      }
      const last = segments(0).at(-1)!;
      fs.appendFileSync(last, randomBytes(1000));
      await restart();
      for (const p of [0, 1]) await verifyPartition(p, ends[p]!);
    });
  });

  test('run 2: SIGKILL mid-produce, the last batch of the last segment cut short', async () => {
    await fx.cluster.guard(async () => {
      await produceUntilKilled(1500);
      // The kill may land just after a roll, before the new segment's first write: then the newest segment holding
      // a batch is cut, and recovery must also drop the empty segments after it.
      const last = segments(0).reverse().find((file) => scanSegment(file).batches.length > 0);
      assert.ok(last !== undefined, 'a segment holds a batch');
      const { batches, starts, validBytes } = scanSegment(last);
      const victim = batches.at(-1);
      const victimStart = starts.at(-1);
      assert.ok(victim !== undefined && victimStart !== undefined, `the segment ${last} holds a batch`);
      fs.truncateSync(last, victimStart + Math.floor((validBytes - victimStart) / 2));
      // The cut batch is gone for good; everything before it must survive.
      for (const offset of [...(acked[0]?.keys() ?? [])]) if (offset >= victim.baseOffset) acked[0]?.delete(offset);
      const end1 = validEnd(1);
      await restart();
      await verifyPartition(0, victim.baseOffset);
      await verifyPartition(1, end1);
    });
  });
});
