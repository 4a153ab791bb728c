// Group coordinator failover across three real brokers: __consumer_offsets with replication factor 3, a kafkajs group
// consuming and committing, kill -9 of the coordinator (the leader of the group's offsets partition). The group finds
// the new coordinator, its commits are intact (never lower), and consumption continues without loss.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { OFFSETS_TOPIC, offsetsPartitionFor } from '../harness/consumer-offsets-decoder.js';
import { useCluster } from '../harness/fixture.js';
import {
  committedOffsets,
  committedToEnd,
  exactSplit,
  findCoordinator,
  KafkajsGroupMember,
  produceNumbered,
} from '../harness/group-consumers.js';
import { partitionState } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';

const OFFSETS_PARTITIONS = 5;
const PARTITIONS = 3;
const SESSION_TIMEOUT_MS = 6000;

describe('group coordinator failover (3 brokers, __consumer_offsets RF=3)', { timeout: 180_000 }, () => {
  const topic = randomTopic('cg-failover');
  const groupId = `failover-${topic}`;
  const members: KafkajsGroupMember[] = [];

  // Registered before useCluster's hooks, so the clients stop while the brokers still run.
  after(async () => {
    await Promise.all(members.map(async (m) => await m.stop().catch(() => undefined)));
  });

  const fx = useCluster({
    brokers: 3,
    overrides: {
      'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
      'group.initial.rebalance.delay.ms': '0',
      'group.min.session.timeout.ms': '1000',
    },
  });

  test('kill -9 of the coordinator: a new one takes over with every commit intact and the group consumes on', async () => {
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true });
      for (const name of ['fo-a', 'fo-b']) {
        members.push(await KafkajsGroupMember.start({ bootstrap: fx.cluster.bootstrap, groupId, topic, name }));
      }
      await fx.cluster.waitFor(() => exactSplit(members, PARTITIONS), { timeoutMs: 30_000, what: 'both members assigned' });
      const first = await produceNumbered(fx.kafka, topic, 'f', 600, 100);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), { timeoutMs: 30_000, what: 'commits at the end' });
      const committedBefore = await committedOffsets(fx.admin, groupId, topic);

      // The coordinator: FindCoordinator's answer, which is the leader of the group's __consumer_offsets partition.
      const offsetsPartition = offsetsPartitionFor(groupId, OFFSETS_PARTITIONS);
      const state = await partitionState(fx.cluster, OFFSETS_TOPIC, offsetsPartition);
      assert.deepEqual([...state.isr].sort(), [1, 2, 3], 'the offsets partition is replicated to all three brokers');
      const found = await findCoordinator(fx.cluster.broker(1).port, groupId);
      assert.equal(found.errorCode, 0);
      assert.equal(found.nodeId, state.leader, `FindCoordinator names the leader of ${OFFSETS_TOPIC}-${offsetsPartition}`);
      assert.equal(found.port, fx.cluster.broker(found.nodeId).port);
      const coordinator = found.nodeId;

      await fx.cluster.kill(coordinator);
      const survivor = [1, 2, 3].find((id) => id !== coordinator) ?? 1;
      const moved = await fx.cluster.waitFor(
        async () => {
          const f = await findCoordinator(fx.cluster.broker(survivor).port, groupId);
          return f.errorCode === 0 && f.nodeId !== coordinator ? f : undefined;
        },
        { timeoutMs: SESSION_TIMEOUT_MS + 20_000, what: 'FindCoordinator to name a new coordinator' },
      );
      const after = await partitionState(fx.cluster, OFFSETS_TOPIC, offsetsPartition);
      assert.equal(moved.nodeId, after.leader, 'the new coordinator leads the offsets partition');
      assert.ok(state.isr.includes(after.leader));

      const committedAfter = await fx.cluster.waitFor(async () => await committedOffsets(fx.admin, groupId, topic), {
        timeoutMs: 20_000,
        what: 'OffsetFetch from the new coordinator',
      });
      assert.deepEqual([...committedAfter].sort((a, b) => a[0] - b[0]), [...committedBefore].sort((a, b) => a[0] - b[0]), 'commits intact');

      const second = await produceNumbered(fx.kafka, topic, 's', 300, 50);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), {
        timeoutMs: 60_000,
        what: 'the group to consume and commit through the new coordinator',
      });
      const final = await committedOffsets(fx.admin, groupId, topic);
      for (const [p, o] of committedBefore) assert.ok((final.get(p) ?? -1) >= o, `commit of partition ${p} never goes back`);
      const counts = new Map<string, number>();
      for (const c of members.flatMap((m) => m.consumed)) counts.set(c.value, (counts.get(c.value) ?? 0) + 1);
      assert.deepEqual([...first, ...second].filter((v) => !counts.has(v)), [], 'nothing lost');
      assert.deepEqual([...counts].filter(([v, n]) => n > 1 && v.startsWith('f-')), [], 'nothing committed before the kill is consumed again');
      await Promise.all(members.splice(0).map(async (m) => await m.stop()));
    });
  });
});
