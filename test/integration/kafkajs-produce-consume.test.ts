// One real broker driven by kafkajs 2.2.4: admin, producer (none + gzip, acks -1), group-less reads with kafkajs's
// own decoder, ListOffsets (earliest, latest, by timestamp), DescribeConfigs/AlterConfigs and their ZooKeeper traces.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';

import kafkajs, { CompressionTypes, Partitioners, type Message } from 'kafkajs';

import { useCluster } from '../harness/fixture.js';
import { KafkajsReader } from '../harness/kafkajs-reader.js';
import { randomTopic } from '../harness/paths.js';

const { ConfigResourceTypes } = kafkajs;

const PARTITIONS = 3;
const TOTAL = 10_000;
const PER_SEND = 500;
const T0 = Date.now() - 3_600_000;

interface Expected {
  readonly i: number;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly timestamp: number;
}

function messageFor(i: number): Expected {
  return {
    i,
    key: `key-${i}`,
    value: `value-${i}-${'x'.repeat(i % 200)}`,
    headers: { idx: String(i), codec: i < TOTAL / 2 ? 'none' : 'gzip' },
    timestamp: T0 + i,
  };
}

describe('kafkajs produce and read back (1 broker)', { timeout: 150_000 }, () => {
  const fx = useCluster({ brokers: 1 });
  const topic = randomTopic('kjs');
  /** What each partition must contain, in offset order. */
  const byPartition: Expected[][] = Array.from({ length: PARTITIONS }, () => []);

  test('CreateTopics makes a 3-partition topic led by the broker', async () => {
    await fx.cluster.guard(async () => {
      const created = await fx.admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      assert.equal(created, true);
      const { topics } = await fx.admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      assert.deepEqual(partitions.map((p) => p.partitionId).sort(), [0, 1, 2]);
      for (const p of partitions) assert.equal(p.leader, 1, `leader of partition ${p.partitionId}`);
      assert.ok((await fx.admin.listTopics()).includes(topic));
    });
  });

  test('produces 10,000 keyed messages with headers (half gzip), acks -1, with contiguous offsets', async () => {
    await fx.cluster.guard(async () => {
      const { topics } = await fx.admin.fetchTopicMetadata({ topics: [topic] });
      const partitionMetadata = topics[0]?.partitions ?? [];
      const partitionOf = Partitioners.DefaultPartitioner();
      const producer = fx.kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      try {
        const nextOffset = Array.from({ length: PARTITIONS }, () => 0);
        for (let start = 0; start < TOTAL; start += PER_SEND) {
          const batch = Array.from({ length: PER_SEND }, (_, j) => messageFor(start + j));
          const messages: Message[] = batch.map((m) => ({
            key: m.key,
            value: m.value,
            headers: m.headers,
            timestamp: String(m.timestamp),
          }));
          const counts = Array.from({ length: PARTITIONS }, () => 0);
          for (const [j, m] of batch.entries()) {
            const message = messages[j];
            assert.ok(message !== undefined);
            const p = partitionOf({ topic, partitionMetadata, message });
            counts[p] = (counts[p] ?? 0) + 1;
            byPartition[p]?.push(m);
          }
          const compression = start < TOTAL / 2 ? CompressionTypes.None : CompressionTypes.GZIP;
          const acks = await producer.send({ topic, acks: -1, compression, messages });
          for (const r of acks) {
            assert.equal(r.topicName, topic);
            assert.equal(r.errorCode, 0, `produce error on partition ${r.partition}`);
            assert.equal(Number(r.baseOffset), nextOffset[r.partition], `baseOffset of partition ${r.partition} (send at ${start})`);
            nextOffset[r.partition] = (nextOffset[r.partition] ?? 0) + (counts[r.partition] ?? 0);
          }
          const acked = new Set(acks.map((r) => r.partition));
          counts.forEach((c, p) => assert.ok(c === 0 || acked.has(p), `no ack for partition ${p} (send at ${start})`));
        }
        assert.deepEqual(nextOffset, byPartition.map((msgs) => msgs.length));
        assert.ok(byPartition.every((msgs) => msgs.length > 0), 'every partition received messages');
      } finally {
        await producer.disconnect();
      }
    });
  });

  test('reads every message back (kafkajs decoder): keys, values, headers, timestamps, offsets 0..n-1 in order', async () => {
    await fx.cluster.guard(async () => {
      const reader = await KafkajsReader.connect(fx.cluster.bootstrap);
      try {
        for (let p = 0; p < PARTITIONS; p++) {
          const expected = byPartition[p] ?? [];
          const { records, highWatermark } = await reader.readPartition(topic, p);
          assert.equal(highWatermark, expected.length, `high watermark of partition ${p}`);
          assert.equal(records.length, expected.length, `record count of partition ${p}`);
          records.forEach((r, offset) => {
            const e = expected[offset];
            assert.ok(e !== undefined);
            assert.equal(r.offset, offset, `offsets of partition ${p} are contiguous`);
            assert.equal(r.key?.toString(), e.key, `key at ${p}@${offset}`);
            assert.equal(r.value?.toString(), e.value, `value at ${p}@${offset}`);
            assert.equal(r.timestamp, e.timestamp, `timestamp at ${p}@${offset}`);
            const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
            assert.deepEqual(headers, e.headers, `headers at ${p}@${offset}`);
          });
        }
      } finally {
        await reader.close();
      }
    });
  });

  test('ListOffsets: earliest 0, latest = count, by timestamp = first record at or after it', async () => {
    await fx.cluster.guard(async () => {
      const offsets = await fx.admin.fetchTopicOffsets(topic);
      assert.equal(offsets.length, PARTITIONS);
      for (const o of offsets) {
        const count = byPartition[o.partition]?.length ?? -1;
        assert.equal(o.low, '0', `earliest of partition ${o.partition}`);
        assert.equal(o.high, String(count), `latest of partition ${o.partition}`);
        assert.equal(o.offset, String(count));
      }
      for (const target of [T0, T0 + 1234, T0 + TOTAL / 2, T0 + TOTAL - 1]) {
        const byTime = await fx.admin.fetchTopicOffsetsByTimestamp(topic, target);
        for (const o of byTime) {
          const msgs = byPartition[o.partition] ?? [];
          const first = msgs.findIndex((m) => m.timestamp >= target);
          const want = first === -1 ? msgs.length : first;
          assert.equal(o.offset, String(want), `offset for timestamp T0+${target - T0} in partition ${o.partition}`);
        }
      }
      // Beyond the last timestamp the broker answers -1; kafkajs then substitutes the latest offset.
      const late = await fx.admin.fetchTopicOffsetsByTimestamp(topic, T0 + TOTAL + 60_000);
      for (const o of late) assert.equal(o.offset, String(byPartition[o.partition]?.length));
    });
  });

  test('DescribeConfigs/AlterConfigs retention.ms, visible in /config/topics and a config change notification', async () => {
    await fx.cluster.guard(async () => {
      const describe = async (): Promise<string | undefined> => {
        const res = await fx.admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }],
        });
        const resource = res.resources[0];
        assert.equal(resource?.errorCode, 0);
        return resource?.configEntries.find((c) => c.configName === 'retention.ms')?.configValue;
      };
      assert.equal(await describe(), '604800000', 'default retention.ms (7 days)');
      const changesBefore = (await fx.cluster.zkClient.children('/config/changes')) ?? [];

      const res = await fx.admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
      });
      assert.equal(res.resources[0]?.errorCode, 0);
      assert.equal(await describe(), '3600000');

      const node = await fx.cluster.zkClient.getJson(`/config/topics/${topic}`);
      assert.deepEqual(node, { version: 1, config: { 'retention.ms': '3600000' } });

      const changesAfter = (await fx.cluster.zkClient.children('/config/changes')) ?? [];
      const fresh = changesAfter.filter((c) => !changesBefore.includes(c));
      assert.ok(fresh.length >= 1, `a new config_change_* znode (before ${changesBefore.join(',')}, after ${changesAfter.join(',')})`);
      for (const c of fresh) assert.match(c, /^config_change_\d{10}$/);
      const notes = await Promise.all(fresh.map(async (c) => await fx.cluster.zkClient.getJson(`/config/changes/${c}`)));
      assert.ok(
        notes.some((n) => isDeepStrictEqual(n, { version: 2, entity_path: `topics/${topic}` })),
        `a notification {"version":2,"entity_path":"topics/${topic}"}, got ${JSON.stringify(notes)}`,
      );
    });
  });

  test('max.message.bytes set on a topic (AlterConfigs) makes its log refuse a larger batch with MESSAGE_TOO_LARGE', async () => {
    await fx.cluster.guard(async () => {
      const small = randomTopic('small');
      await fx.admin.createTopics({ topics: [{ topic: small, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      const res = await fx.admin.alterConfigs({
        validateOnly: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: small, configEntries: [{ name: 'max.message.bytes', value: '1000' }] }],
      });
      assert.equal(res.resources[0]?.errorCode, 0);
      const producer = fx.kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      try {
        // The broker applies the change when it sees the config notification: retry until it does.
        let err: unknown;
        for (let i = 0; i < 50; i++) {
          try {
            await producer.send({ topic: small, acks: -1, messages: [{ value: Buffer.alloc(2000, 1) }] });
            err = undefined;
          } catch (e) {
            err = e;
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.match(String((err as { type?: string } | undefined)?.type ?? err), /MESSAGE_TOO_LARGE/);
        const [ok] = await producer.send({ topic: small, acks: -1, messages: [{ value: Buffer.alloc(100, 1) }] });
        assert.equal(ok?.errorCode, 0);
      } finally {
        await producer.disconnect();
      }
    });
  });
});
