// Topic administration through kafkajs against three real brokers: CreatePartitions, DeleteRecords and
// DeleteTopics change what clients see, what ZooKeeper holds and what is on disk.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { kcat } from '../harness/kcat.js';
import { randomTopic } from '../harness/paths.js';

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('topic administration (3 brokers)', () => {
  const fx = useCluster({ brokers: 3 });

  test('CreatePartitions grows an RF=3 topic; the new partitions get leaders and replicas and take acks=all writes', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('grow');
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 3 }], waitForLeaders: true });
      await fx.admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
      const assignment = (await fx.cluster.zkClient.getJson(`/brokers/topics/${topic}`)) as { partitions: Record<string, number[]> };
      assert.deepEqual(Object.keys(assignment.partitions).sort(), ['0', '1', '2', '3', '4']);
      await eventually('leaders for 5 partitions', async () => {
        const md = await fx.admin.fetchTopicMetadata({ topics: [topic] });
        const parts = md.topics[0]?.partitions ?? [];
        return parts.length === 5 && parts.every((p) => p.leader >= 1);
      });
      const producer = fx.kafka.producer();
      await producer.connect();
      try {
        const [r] = await producer.send({ topic, acks: -1, messages: [{ partition: 4, value: 'on-a-new-partition' }] });
        assert.equal(r?.errorCode, 0);
        assert.equal(r?.baseOffset, '0');
      } finally {
        await producer.disconnect();
      }
      await assert.rejects(fx.admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] }), /partitions/i, 'shrinking is refused');
    });
  });

  test('DeleteRecords moves the log start offset: earliest offset follows and reading from the beginning starts there', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('trim');
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
      const producer = fx.kafka.producer();
      await producer.connect();
      try {
        for (let i = 0; i < 10; i++) await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: `v${i}` }] });
      } finally {
        await producer.disconnect();
      }
      await fx.admin.fetchTopicMetadata({ topics: [topic] }); // kafkajs finds leaders in its cached metadata
      await fx.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
      const [o] = await fx.admin.fetchTopicOffsets(topic);
      assert.equal(o?.low, '6');
      assert.equal(o?.high, '10');
      const read = await kcat(['-b', fx.cluster.bootstrap.join(','), '-C', '-e', '-q', '-t', topic, '-p', '0', '-o', 'beginning', '-f', '%o:%s\\n'], { timeoutMs: 20_000 });
      assert.equal(read.code, 0, read.stderr);
      assert.deepEqual(read.stdout.trim().split('\n'), ['6:v6', '7:v7', '8:v8', '9:v9']);
    });
  });

  test('DeleteTopics removes an RF=3 topic from metadata, ZooKeeper and every replica\'s disk', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('gone');
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }], waitForLeaders: true });
      const logDirs = [...fx.cluster.brokers.values()].map((b) => b.dataDir);
      const hasDir = () =>
        logDirs.some((d) => {
          const walk = (dir: string): boolean =>
            existsSync(dir) && readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() && /^.+-\d+$/.test(e.name) && e.name.startsWith(`${topic}-`)) || (e.isDirectory() && walk(path.join(dir, e.name))));
          return walk(d);
        });
      assert.ok(hasDir(), 'partition directories exist before deletion');
      await fx.admin.deleteTopics({ topics: [topic], timeout: 15_000 });
      assert.equal((await fx.admin.listTopics()).includes(topic), false);
      // The controller removes these one after another, as Kafka's TopicDeletionManager does (topic, config, marker last),
      // so the marker may outlive the topic node by a round trip.
      const znodes = [`/brokers/topics/${topic}`, `/config/topics/${topic}`, `/admin/delete_topics/${topic}`];
      const remaining = async () => {
        const present = await Promise.all(znodes.map(async (z) => ((await fx.cluster.zkClient.exists(z)) === undefined ? null : z)));
        return present.filter((z) => z !== null);
      };
      await eventually('znodes removed', async () => (await remaining()).length === 0, 30_000);
      assert.deepEqual(await remaining(), []);
      await eventually('partition directories gone or renamed for deletion', async () => !hasDir(), 30_000);
    });
  });
});
