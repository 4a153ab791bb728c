// The records the group coordinator writes to __consumer_offsets, decoded with Kafka's published schemas by the
// test's own decoder: offset commit key v1 / value v3, group metadata key v2 / value v3 with ConsumerProtocol
// subscription and assignment bytes, tombstones after DeleteGroups. Also: the topic is internal, with the default
// 50 partitions.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import {
  assignedPartitionsOf,
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  OFFSETS_TOPIC,
  offsetsPartitionFor,
  type GroupMetadataValue,
  type OffsetCommitValue,
} from '../harness/consumer-offsets-decoder.js';
import { useCluster } from '../harness/fixture.js';
import {
  committedToEnd,
  exactSplit,
  highWatermarks,
  KafkajsGroupMember,
  produceNumbered,
  readOffsetsPartitions,
  topicMetadataV1,
  type OffsetsLogEntry,
} from '../harness/group-consumers.js';
import { randomTopic } from '../harness/paths.js';

const DEFAULT_OFFSETS_PARTITIONS = 50;
const PARTITIONS = 3;

/** The latest value for each offset key of `groupId` on `topic`, by partition. */
function latestOffsetValues(entries: readonly OffsetsLogEntry[], groupId: string, topic: string): Map<number, OffsetCommitValue | null> {
  const out = new Map<number, OffsetCommitValue | null>();
  for (const e of entries) {
    if (e.key.kind === 'offset' && e.key.group === groupId && e.key.topic === topic) out.set(e.key.partition, e.value as OffsetCommitValue | null);
  }
  return out;
}

function groupEntries(entries: readonly OffsetsLogEntry[], groupId: string): OffsetsLogEntry[] {
  return entries.filter((e) => e.key.kind === 'group' && e.key.group === groupId);
}

describe('__consumer_offsets records (1 broker, default offsets.topic.num.partitions)', { timeout: 150_000 }, () => {
  const topic = randomTopic('rec');
  const groupId = `records-${topic}`;
  const members: KafkajsGroupMember[] = [];
  const startedAt = Date.now();
  let groupPartition = -1;

  // Registered before useCluster's hooks, so the clients stop while the brokers still run.
  after(async () => {
    await Promise.all(members.map(async (m) => await m.stop().catch(() => undefined)));
  });

  const fx = useCluster({
    brokers: 1,
    overrides: { 'offsets.topic.replication.factor': '1', 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000' },
  });

  test('two kafkajs members commit; every record of the group partition decodes; keys v1/v2, values v3', async () => {
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      await produceNumbered(fx.kafka, topic, 'r', 300, 100);
      for (const name of ['rec-a', 'rec-b']) {
        members.push(await KafkajsGroupMember.start({ bootstrap: fx.cluster.bootstrap, groupId, topic, name }));
      }
      const split = await fx.cluster.waitFor(() => exactSplit(members, PARTITIONS), { timeoutMs: 30_000, what: 'both members assigned' });
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), { timeoutMs: 30_000, what: 'commits at the end' });
      const high = await highWatermarks(fx.admin, topic);

      const md = await topicMetadataV1(fx.cluster.broker(1).port, OFFSETS_TOPIC);
      assert.deepEqual(md, { errorCode: 0, isInternal: true, partitions: DEFAULT_OFFSETS_PARTITIONS }, 'Metadata marks the topic internal');

      groupPartition = offsetsPartitionFor(groupId, DEFAULT_OFFSETS_PARTITIONS);
      const entries = await readOffsetsPartitions(fx.cluster.bootstrap, [groupPartition]);
      const mine = entries.filter((e) => e.key.group === groupId);
      assert.ok(mine.length > 0, `records of ${groupId} in ${OFFSETS_TOPIC}-${groupPartition}`);

      const offsets = latestOffsetValues(entries, groupId, topic);
      assert.deepEqual([...offsets.keys()].sort(), [0, 1, 2]);
      for (const e of mine.filter((x) => x.key.kind === 'offset')) {
        assert.equal(e.key.version, 1, 'offset commit keys are version 1');
        assert.ok(e.value !== null, 'no tombstone yet');
        assert.equal(e.value.version, 3, 'offset commit values are version 3');
      }
      for (const [p, v] of offsets) {
        assert.ok(v !== null);
        assert.equal(v.offset, high.get(p), `committed offset of partition ${p}`);
        assert.equal(v.leaderEpoch, -1, 'kafkajs commits without a leader epoch (OffsetCommit v5)');
        assert.equal(v.metadata, '', 'a null metadata is stored as ""');
        assert.equal(v.expireTimestamp, -1);
        assert.ok(v.commitTimestamp >= startedAt - 1000 && v.commitTimestamp <= Date.now() + 1000, `commit timestamp ${v.commitTimestamp} is now`);
      }

      const groups = groupEntries(entries, groupId);
      assert.ok(groups.length > 0, 'a group metadata record');
      for (const e of groups) assert.equal(e.key.version, 2, 'group metadata keys are version 2');
      const value = groups.at(-1)?.value as GroupMetadataValue | null | undefined;
      assert.ok(value !== null && value !== undefined);
      assert.equal(value.version, 3);
      assert.equal(value.protocolType, 'consumer');
      assert.ok(value.generation >= 1, `generation ${value.generation}`);
      assert.equal(value.protocol, 'RoundRobinAssigner');
      const leader = members.find((m) => m.lastJoin?.isLeader === true);
      assert.equal(value.leader, leader?.lastJoin?.memberId, 'the leader is the member kafkajs says leads');
      assert.ok(value.currentStateTimestamp >= startedAt - 1000 && value.currentStateTimestamp <= Date.now() + 1000);
      assert.deepEqual(value.members.map((m) => m.clientId).sort(), ['rec-a', 'rec-b']);
      for (const m of value.members) {
        const member = members.find((x) => x.name === m.clientId);
        assert.equal(m.memberId, member?.lastJoin?.memberId);
        assert.match(m.memberId, new RegExp(`^${m.clientId}-`), 'member id is clientId-UUID');
        assert.equal(m.groupInstanceId, null);
        assert.match(m.clientHost, /127\.0\.0\.1/);
        assert.equal(m.sessionTimeout, 6000);
        assert.equal(m.rebalanceTimeout, 20_000);
        const subscription = decodeConsumerSubscription(m.subscription);
        assert.deepEqual(subscription.topics, [topic]);
        assert.deepEqual(assignedPartitionsOf(decodeConsumerAssignment(m.assignment), topic), split.get(m.clientId));
      }
    });
  });

  test('every record in all 50 partitions decodes with the published schemas', async () => {
    await fx.cluster.guard(async () => {
      const all = Array.from({ length: DEFAULT_OFFSETS_PARTITIONS }, (_, p) => p);
      const entries = await readOffsetsPartitions(fx.cluster.bootstrap, all);
      assert.ok(entries.length > 0);
      for (const e of entries) {
        assert.equal(e.partition, offsetsPartitionFor(e.key.group, DEFAULT_OFFSETS_PARTITIONS), `record of ${e.key.group} in the partition of its group`);
      }
    });
  });

  test('DeleteGroups leaves tombstones for the group and each of its offsets', async () => {
    await fx.cluster.guard(async () => {
      await Promise.all(members.splice(0).map(async (m) => await m.stop()));
      await fx.cluster.waitFor(async () => (await fx.admin.describeGroups([groupId])).groups[0]?.state === 'Empty', { what: 'an empty group' });
      const before = await readOffsetsPartitions(fx.cluster.bootstrap, [groupPartition]);
      const empty = groupEntries(before, groupId).at(-1)?.value as GroupMetadataValue | null | undefined;
      assert.ok(empty !== null && empty !== undefined, 'the emptied group is recorded');
      assert.deepEqual(empty.members, [], 'the last group record of an empty group has no members');
      assert.equal(empty.protocol, null);
      assert.equal(empty.leader, null);

      const deleted = await fx.admin.deleteGroups([groupId]);
      assert.deepEqual(deleted.map((d) => d.errorCode), [0]);
      const entries = await fx.cluster.waitFor(
        async () => {
          const e = await readOffsetsPartitions(fx.cluster.bootstrap, [groupPartition]);
          return groupEntries(e, groupId).at(-1)?.value === null ? e : undefined;
        },
        { what: 'a group tombstone' },
      );
      const tail = entries.slice(before.length);
      assert.ok(tail.some((e) => e.key.kind === 'group' && e.value === null), 'the group key gets a null value');
      const offsets = latestOffsetValues(entries, groupId, topic);
      assert.deepEqual([...offsets].sort((a, b) => a[0] - b[0]), [[0, null], [1, null], [2, null]], 'every offset key ends with a tombstone');
    });
  });
});
