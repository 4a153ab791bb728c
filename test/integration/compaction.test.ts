// Log compaction on one real broker: a cleanup.policy=compact topic with 4 KB segments and a dirty ratio of 0.01 is
// written with many updates per key by kafkajs; the cleaner's log lines and the files on disk say when segments
// were cleaned; kafkajs's own fetch decoder and kcat (CRC checks on) read back exactly the latest value per key;
// tombstones vanish after delete.retention.ms; a reader running during cleaning sees each key's values in order.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { Producer } from 'kafkajs';

import { useCluster } from '../harness/fixture.js';
import { KafkajsReader } from '../harness/kafkajs-reader.js';
import type { ReadRecord } from '../harness/kafkajs-reader.js';
import { kcat } from '../harness/kcat.js';
import { entriesWith } from '../harness/log-lines.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

const KEYS = 20;
const UPDATES = 1500;
const DELETE_RETENTION_MS = 3000;

const seqOf = (value: string): number => Number(value.split(':')[1]);

/** key -> last value (null for a tombstone) of records in offset order. */
function latestByKey(records: readonly ReadRecord[]): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const r of records) m.set(r.key?.toString() ?? '', r.value?.toString() ?? null);
  return m;
}

describe('log compaction against one broker', { timeout: 240_000 }, () => {
  // Registered before the cluster's own hook, so the clients close (even after a failure) while the broker is up.
  after(async () => {
    await producer?.disconnect().catch(() => undefined);
    await reader?.close().catch(() => undefined);
  });
  const fx = useCluster({ brokers: 1, overrides: { 'log.cleaner.backoff.ms': '200' } });
  const topic = randomTopic('compact');
  const expected = new Map<string, string | null>();
  let producer: Producer | undefined;
  let reader: KafkajsReader | undefined;
  const client = (): { producer: Producer; reader: KafkajsReader } => {
    if (producer === undefined || reader === undefined) throw new Error('clients not connected');
    return { producer, reader };
  };

  const partitionDir = (): string => path.join(fx.cluster.broker(1).dataDir, 'kafka-logs', `${topic}-0`);
  /** The `cleanedTo` offsets of the cleaner's "Cleaned log" lines for our topic so far. */
  const cleanedTo = (): number[] =>
    entriesWith(fx.cluster.logs(1), 'Cleaned log')
      .filter((e) => e['topic'] === topic)
      .map((e) => Number(e['cleanedTo']));
  const readAll = async (): Promise<ReadRecord[]> => (await client().reader.readPartition(topic, 0, 0)).records;

  before(async () => {
    await fx.admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: 1,
          replicationFactor: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '4096' },
            { name: 'min.cleanable.dirty.ratio', value: '0.01' },
            { name: 'delete.retention.ms', value: String(DELETE_RETENTION_MS) },
            { name: 'file.delete.delay.ms', value: '1000' },
          ],
        },
      ],
      waitForLeaders: true,
    });
    producer = fx.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    reader = await KafkajsReader.connect(fx.cluster.bootstrap);
  });

  /** Writes `count` updates (keys `<prefix>-0..KEYS-1`, values `<key>:<seq>`) in batches of 25; returns the last offset. */
  async function produceUpdates(prefix: string, count: number, firstSeq = 0): Promise<number> {
    let lastOffset = -1;
    for (let i = 0; i < count; i += 25) {
      const messages = [];
      for (let j = i; j < Math.min(count, i + 25); j++) {
        const key = `${prefix}-${j % KEYS}`;
        const value = `${key}:${firstSeq + j}`;
        messages.push({ key, value, partition: 0 });
        expected.set(key, value);
      }
      const [meta] = await client().producer.send({ topic, acks: -1, messages });
      lastOffset = Number(meta?.baseOffset ?? -1) + messages.length - 1;
    }
    return lastOffset;
  }

  test('many updates per key, read while the cleaner runs: values in order per key, exactly the latest ones at the end', async () => {
    await fx.cluster.guard(async () => {
      let producing = true;
      const seen = new Map<string, number[]>();
      let position = 0;
      const follow = async (): Promise<void> => {
        for (let idle = 0; producing || idle < 2; ) {
          const { records } = await client().reader.readPartition(topic, 0, position);
          for (const r of records) {
            const value = r.value?.toString() ?? '';
            const key = r.key?.toString() ?? '';
            seen.set(key, [...(seen.get(key) ?? []), seqOf(value)]);
          }
          const last = records.at(-1);
          if (last !== undefined) position = last.offset + 1;
          idle = producing ? 0 : idle + 1;
        }
      };
      // A second reader reads the whole partition from offset 0 again and again, so it reads the segments the
      // cleaner rewrites and swaps: every pass must be consistent (offsets increasing, each key's values in order).
      const rescanner = await KafkajsReader.connect(fx.cluster.bootstrap);
      let passesAfterAClean = 0;
      const rescan = async (): Promise<void> => {
        while (producing) {
          const cleanedBefore = cleanedTo().length;
          const { records } = await rescanner.readPartition(topic, 0, 0);
          const lastSeq = new Map<string, number>();
          records.forEach((r, i) => {
            if (i > 0) assert.ok(r.offset > (records[i - 1]?.offset ?? -1), `offsets increase in a full read (${r.offset})`);
            const key = r.key?.toString() ?? '';
            const seq = seqOf(r.value?.toString() ?? '');
            assert.ok(seq > (lastSeq.get(key) ?? -1), `values of ${key} in order in a full read`);
            lastSeq.set(key, seq);
          });
          if (cleanedBefore > 0) passesAfterAClean++;
        }
      };
      const following = follow();
      const rescanning = rescan();
      let lastOffset: number;
      try {
        lastOffset = await produceUpdates('k', UPDATES);
        await waitFor(() => cleanedTo().some((o) => o > lastOffset * 0.8), { timeoutMs: 60_000, what: 'the cleaner to clean most of the log' });
      } finally {
        producing = false;
      }
      await following;
      try {
        await rescanning;
      } finally {
        await rescanner.close();
      }
      assert.ok(passesAfterAClean > 0, 'at least one full read ran over cleaned segments');

      const records = await readAll();
      assert.deepEqual(latestByKey(records), expected);
      assert.ok(records.length < UPDATES / 3, `${records.length} records remain of ${UPDATES}`);
      const checkpoint = Math.max(...cleanedTo());
      const keysBelow = records.filter((r) => r.offset < checkpoint).map((r) => r.key?.toString());
      assert.equal(new Set(keysBelow).size, keysBelow.length, 'one record per key below the cleaner checkpoint');

      for (const [key, seqs] of seen) {
        for (let i = 1; i < seqs.length; i++) assert.ok((seqs[i] ?? 0) > (seqs[i - 1] ?? 0), `values of ${key} out of order: ${seqs.join(',')}`);
        assert.equal(`${key}:${String(seqs.at(-1))}`, expected.get(key), `the follower ends with the latest value of ${key}`);
      }
      assert.equal(seen.size, KEYS);

      const files = await fs.promises.readdir(partitionDir());
      assert.deepEqual(files.filter((f) => /\.(cleaned|swap)$/.test(f)), []);
      const checkpointFile = await fs.promises.readFile(path.join(fx.cluster.broker(1).dataDir, 'kafka-logs', 'cleaner-offset-checkpoint'), 'utf8');
      assert.match(checkpointFile, new RegExp(`^${topic} 0 \\d+$`, 'm'));
    });
  });

  test('tombstones are kept, then gone after delete.retention.ms', async () => {
    await fx.cluster.guard(async () => {
      const doomed = ['k-1', 'k-2', 'k-3'];
      const [meta] = await client().producer.send({ topic, acks: -1, messages: doomed.map((key) => ({ key, value: null, partition: 0 })) });
      const tombstoneOffset = Number(meta?.baseOffset ?? -1);
      for (const key of doomed) expected.set(key, null);
      // Enough other updates that the tombstones leave the active segment and get cleaned.
      const lastOffset = await produceUpdates('filler', 300, 10_000);
      await waitFor(() => cleanedTo().some((o) => o > tombstoneOffset), { timeoutMs: 60_000, what: 'a clean past the tombstones' });
      const withTombstones = await readAll();
      for (const key of doomed) {
        assert.deepEqual(withTombstones.filter((r) => r.key?.toString() === key).map((r) => r.value), [null], `only ${key}'s tombstone`);
      }
      const records = await waitFor(
        async () => {
          const all = await readAll();
          return all.some((r) => doomed.includes(r.key?.toString() ?? '')) ? undefined : all;
        },
        { timeoutMs: 30_000 + DELETE_RETENTION_MS, what: 'the tombstones to be removed after delete.retention.ms' },
      );
      for (const key of doomed) expected.delete(key);
      assert.deepEqual(latestByKey(records), expected);
      assert.ok((records.at(-1)?.offset ?? -1) <= lastOffset);
    });
  });

  test('kcat reads the compacted topic from the start with CRC checks', async () => {
    await fx.cluster.guard(async () => {
      const res = await kcat(
        ['-b', fx.cluster.bootstrap.join(','), '-C', '-e', '-t', topic, '-o', 'beginning', '-X', 'check.crcs=true', '-f', '%o|%k|%s\n'],
        { timeoutMs: 30_000 },
      );
      assert.equal(res.code, 0, `kcat -C exited ${res.code} (timed out: ${res.timedOut}): ${res.stderr}`);
      const latest = new Map<string, string>();
      let previous = -1;
      for (const line of res.stdout.split('\n').filter((l) => l !== '')) {
        const [offset, key, value] = line.split('|');
        assert.ok(Number(offset) > previous, `offsets increase: ${line}`);
        previous = Number(offset);
        latest.set(key ?? '', value ?? '');
      }
      assert.deepEqual(latest, new Map([...expected].map(([k, v]) => [k, v ?? ''])));
    });
  });

  test('a record without a key is refused with INVALID_RECORD', async () => {
    await fx.cluster.guard(async () => {
      await assert.rejects(client().producer.send({ topic, acks: -1, messages: [{ value: 'no key', partition: 0 }] }), { type: 'INVALID_RECORD', code: 87 });
    });
  });
});
