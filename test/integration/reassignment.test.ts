// Partition reassignment on three real brokers: kafkajs AlterPartitionReassignments/ListPartitionReassignments
// and the legacy /admin/reassign_partitions znode. The data moves: the new replica fetches from the leader,
// joins the ISR, takes over, and the old replica's log is deleted.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import type { ClusterFixture } from '../harness/fixture.js';
import { kcat } from '../harness/kcat.js';
import { newKafka } from '../harness/clients.js';
import { controllerId, partitionState } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

interface TopicZnode {
  partitions: Record<string, number[]>;
  adding_replicas: Record<string, number[]>;
  removing_replicas: Record<string, number[]>;
}

/** An RF=1 topic whose single partition lives on `brokerId`, with `count` records written through kafkajs. */
async function topicOn(fx: ClusterFixture, prefix: string, brokerId: number, count: number): Promise<string> {
  const topic = randomTopic(prefix);
  await fx.admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [brokerId] }] }], waitForLeaders: true });
  const producer = fx.kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ partition: 0, value: `r${i}` })) });
  } finally {
    await producer.disconnect();
  }
  return topic;
}

const logDir = (fx: ClusterFixture, brokerId: number, topic: string): string => path.join(fx.cluster.broker(brokerId).dataDir, 'kafka-logs', `${topic}-0`);

/** Waits until the topic znode says [to] with no reassignment state and the state znode has leader `to`. */
async function waitMoved(fx: ClusterFixture, topic: string, to: number): Promise<TopicZnode> {
  return await waitFor(async () => {
    const z = (await fx.cluster.zkClient.getJson(`/brokers/topics/${topic}`)) as TopicZnode;
    const s = await partitionState(fx.cluster, topic, 0);
    return z.partitions['0']?.join() === String(to) && Object.keys(z.adding_replicas).length === 0 && s.leader === to ? z : false;
  }, { timeoutMs: 30_000, what: `${topic}-0 to move to broker ${to}` });
}

async function readAll(fx: ClusterFixture, topic: string): Promise<string[]> {
  const r = await kcat(['-b', fx.cluster.bootstrap.join(','), '-C', '-e', '-q', '-t', topic, '-p', '0', '-o', 'beginning', '-f', '%o:%s\\n'], { timeoutMs: 20_000 });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n');
}

describe('partition reassignment (3 brokers)', () => {
  const fx = useCluster({ brokers: 3, overrides: { 'replica.lag.time.max.ms': '10000' } });

  test('kafkajs alterPartitionReassignments moves an RF=1 partition from broker 1 to broker 2 with its data', async () => {
    await fx.cluster.guard(async () => {
      const topic = await topicOn(fx, 'move', 1, 50);
      assert.ok(existsSync(logDir(fx, 1, topic)));
      await fx.admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [2] }] }] });
      const z = await waitMoved(fx, topic, 2);
      assert.deepEqual(z.removing_replicas, {});
      const s = await partitionState(fx.cluster, topic, 0);
      assert.deepEqual(s.isr, [2]);
      assert.ok(s.leader_epoch >= 2, `leader epoch bumped at start and at completion (got ${s.leader_epoch})`);
      const listed = await fx.admin.listPartitionReassignments({});
      assert.deepEqual((listed.topics as unknown as { name: string }[]).filter((t) => t.name === topic), [], 'no longer listed once done');
      await waitFor(() => !existsSync(logDir(fx, 1, topic)), { timeoutMs: 15_000, what: 'the old replica\'s log to be deleted' });
      assert.ok(existsSync(logDir(fx, 2, topic)));
      await fx.admin.fetchTopicMetadata({ topics: [topic] });
      const records = await readAll(fx, topic);
      assert.equal(records.length, 50);
      assert.deepEqual(records.slice(0, 2), ['0:r0', '1:r1']);
      assert.equal(records.at(-1), '49:r49');
    });
  });

  test('kafkajs listPartitionReassignments shows an ongoing reassignment; a bad one is refused per partition', async () => {
    await fx.cluster.guard(async () => {
      const topic = await topicOn(fx, 'list', 3, 1);
      await assert.rejects(
        fx.admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [3, 9] }] }] }),
        (err: unknown) => {
          const errors = (err as { errors?: { type?: string; topic?: string }[] }).errors ?? [];
          assert.deepEqual(errors.map((e) => [e.type, e.topic]), [['INVALID_REPLICA_ASSIGNMENT', topic]]);
          return true;
        },
      );
      // One target broker (not the controller) is paused, still registered well within its session timeout, so
      // the reassignment cannot finish while it is listed; the admin client talks to the other brokers only.
      const controller = await controllerId(fx.cluster);
      const pausedId = controller === 1 ? 2 : 1;
      const admin = newKafka(fx.cluster.bootstrap.filter((_, i) => i + 1 !== pausedId)).admin();
      await admin.connect();
      const pid = fx.cluster.broker(pausedId).pid;
      process.kill(pid, 'SIGSTOP');
      try {
        await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
        const listed = await admin.listPartitionReassignments({ topics: [{ topic, partitions: [0] }] });
        // kafkajs 2.2.4 passes the response through: each topic carries `name` (its typings say `topic`).
        const topics = listed.topics as unknown as { name: string; partitions: { replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[] }[];
        const mine = topics.find((t) => t.name === topic)?.partitions[0];
        assert.deepEqual([mine?.replicas, mine?.addingReplicas, mine?.removingReplicas], [[1, 2, 3], [1, 2], [3]]);
      } finally {
        process.kill(pid, 'SIGCONT');
        await admin.disconnect();
      }
      const z = await waitFor(async () => {
        const t = (await fx.cluster.zkClient.getJson(`/brokers/topics/${topic}`)) as TopicZnode;
        return t.partitions['0']?.join() === '1,2' && Object.keys(t.adding_replicas).length === 0 ? t : false;
      }, { timeoutMs: 30_000, what: 'reassignment to [1,2] to complete' });
      assert.deepEqual(z.removing_replicas, {});
      const s = await partitionState(fx.cluster, topic, 0);
      assert.deepEqual([...s.isr].sort(), [1, 2]);
      assert.ok([1, 2].includes(s.leader));
    });
  });

  test('the /admin/reassign_partitions znode: the controller runs it and deletes the node when done', async () => {
    await fx.cluster.guard(async () => {
      const topic = await topicOn(fx, 'znode', 2, 20);
      await fx.cluster.zkClient.createPersistent('/admin/reassign_partitions', JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, replicas: [3] }] }));
      await waitMoved(fx, topic, 3);
      await waitFor(async () => (await fx.cluster.zkClient.exists('/admin/reassign_partitions')) === undefined, { timeoutMs: 15_000, what: '/admin/reassign_partitions to be deleted' });
      await fx.admin.fetchTopicMetadata({ topics: [topic] });
      assert.equal((await readAll(fx, topic)).length, 20);
    });
  });
});
