// Consumer groups driven by kafkajs 2.2.4 against one real broker: three members split six partitions and consume
// 10,000 messages exactly once; a fourth joins and one leaves (new generations, nothing lost); a restarted group
// resumes from its commits. Then ListGroups / DescribeGroups / DeleteGroups through kafkajs admin.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import type { Admin } from 'kafkajs';

import { assignedPartitionsOf, decodeConsumerAssignment } from '../harness/consumer-offsets-decoder.js';
import { useCluster } from '../harness/fixture.js';
import {
  committedOffsets,
  committedToEnd,
  exactSplit,
  highWatermarks,
  KafkajsGroupMember,
  latestGroupRecord,
  produceNumbered,
} from '../harness/group-consumers.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

const OFFSETS_PARTITIONS = 5;
const OVERRIDES = {
  'offsets.topic.replication.factor': '1',
  'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
  'group.initial.rebalance.delay.ms': '0',
  'group.min.session.timeout.ms': '1000',
};
const PARTITIONS = 6;
const TOTAL = 10_000;

/** Each member's assignment as DescribeGroups reports it, by member id; undefined unless the group is Stable. */
async function describedAssignments(admin: Admin, groupId: string, topic: string): Promise<Map<string, number[]> | undefined> {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0];
  if (g === undefined || g.state !== 'Stable') return undefined;
  return new Map(g.members.map((m) => [m.memberId, assignedPartitionsOf(decodeConsumerAssignment(m.memberAssignment), topic)]));
}

/**
 * Waits until the members' latest GROUP_JOIN assignments split the topic exactly and DescribeGroups (Stable) shows
 * the same members with the same assignments; returns the split by member name.
 */
async function waitForAgreedSplit(admin: Admin, groupId: string, topic: string, members: readonly KafkajsGroupMember[]): Promise<Map<string, number[]>> {
  let last = '';
  try {
    return await waitFor(async () => {
      const split = exactSplit(members, PARTITIONS);
      const described = await describedAssignments(admin, groupId, topic);
      last = JSON.stringify({ joins: members.map((m) => [m.name, m.lastJoin]), described: [...(described ?? [])] });
      if (split === undefined || described === undefined || described.size !== members.length) return undefined;
      for (const m of members) {
        const join = m.lastJoin;
        if (join === undefined || JSON.stringify(described.get(join.memberId)) !== JSON.stringify(join.partitions)) return undefined;
      }
      return split;
    }, { timeoutMs: 45_000, intervalMs: 200 });
  } catch (err) {
    throw new Error(`no agreed split of ${PARTITIONS} partitions among ${members.length} members; last seen ${last}`, { cause: err });
  }
}

/** A map's entries in key order, for comparisons. */
function entries(m: ReadonlyMap<number, number>): Array<[number, number]> {
  return [...m].sort((a, b) => a[0] - b[0]);
}

function countValues(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

describe('consumer groups with kafkajs (1 broker)', { timeout: 240_000 }, () => {
  const topic = randomTopic('cg');
  const groupId = `group-${topic}`;
  const started: KafkajsGroupMember[] = [];
  const start = async (name: string): Promise<KafkajsGroupMember> => {
    const m = await KafkajsGroupMember.start({ bootstrap: fx.cluster.bootstrap, groupId, topic, name });
    started.push(m);
    return m;
  };
  let active: KafkajsGroupMember[] = [];

  // Registered before useCluster's hooks, so the clients stop while the brokers still run.
  after(async () => {
    await Promise.all(started.map(async (m) => await m.stop().catch(() => undefined)));
  });

  const fx = useCluster({ brokers: 1, overrides: OVERRIDES });

  test('three members split six partitions; 10,000 messages are consumed exactly once, each by its partition owner', async () => {
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      active = [await start('m0'), await start('m1'), await start('m2')];
      const split = await waitForAgreedSplit(fx.admin, groupId, topic, active);
      for (const parts of split.values()) assert.equal(parts.length, 2, `round robin gives each of 3 members 2 of 6 partitions: ${JSON.stringify([...split])}`);
      const leaders = new Set(active.map((m) => m.lastJoin?.leaderId));
      assert.equal(leaders.size, 1, 'one leader for all');
      assert.equal(active.filter((m) => m.lastJoin?.isLeader === true).length, 1, 'exactly one member is the leader');
      for (const m of active) assert.equal(m.lastJoin?.groupProtocol, 'RoundRobinAssigner');

      const produced = await produceNumbered(fx.kafka, topic, 'a', TOTAL);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), {
        timeoutMs: 60_000,
        what: 'commits at the high watermark of every partition',
      });
      const consumed = active.flatMap((m) => m.consumed);
      const counts = countValues(consumed.map((c) => c.value));
      assert.deepEqual(produced.filter((v) => !counts.has(v)), [], 'no message missing');
      assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no message consumed twice');
      assert.equal(consumed.length, TOTAL);
      for (const c of consumed) {
        assert.ok(split.get(c.member)?.includes(c.partition), `${c.member} consumed partition ${c.partition} it does not own`);
        assert.equal(c.key, c.value);
      }
      assert.deepEqual(active.map((m) => m.crashes.length), [0, 0, 0], 'no consumer crashed');
    });
  });

  test('a fourth member joins and one leaves: a new generation each time, and nothing produced meanwhile is lost', async () => {
    await fx.cluster.guard(async () => {
      const before = await latestGroupRecord(fx.cluster.bootstrap, groupId, OFFSETS_PARTITIONS);
      assert.ok(before !== null && before !== undefined, 'a group record exists');
      const producedDuring: string[] = [];
      let producing = true;
      const producer = fx.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      const loop = (async () => {
        for (let i = 0; producing; i++) {
          const batch = Array.from({ length: 20 }, (_, j) => `b-${i * 20 + j}`);
          await producer.send({ topic, acks: -1, messages: batch.map((v) => ({ key: v, value: v })) });
          producedDuring.push(...batch);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        const [m0, m1, m2] = active;
        assert.ok(m0 !== undefined && m1 !== undefined && m2 !== undefined);
        const m3 = await start('m3');
        await waitForAgreedSplit(fx.admin, groupId, topic, [m0, m1, m2, m3]);
        const afterJoin = await latestGroupRecord(fx.cluster.bootstrap, groupId, OFFSETS_PARTITIONS);
        assert.ok(afterJoin !== null && afterJoin !== undefined);
        assert.ok(afterJoin.generation > before.generation, `generation ${before.generation} -> ${afterJoin.generation} after a join`);
        assert.equal(afterJoin.members.length, 4);

        await m0.stop();
        active = [m1, m2, m3];
        const split = await waitForAgreedSplit(fx.admin, groupId, topic, active);
        const afterLeave = await latestGroupRecord(fx.cluster.bootstrap, groupId, OFFSETS_PARTITIONS);
        assert.ok(afterLeave !== null && afterLeave !== undefined);
        assert.ok(afterLeave.generation > afterJoin.generation, `generation ${afterJoin.generation} -> ${afterLeave.generation} after a leave`);
        assert.deepEqual(afterLeave.members.map((m) => m.clientId).sort(), ['m1', 'm2', 'm3']);
        assert.equal([...split.values()].flat().length, PARTITIONS);
      } finally {
        producing = false;
        await loop;
        await producer.disconnect();
      }
      assert.ok(producedDuring.length > 0);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), {
        timeoutMs: 60_000,
        what: 'commits at the high watermark after the rebalances',
      });
      const seen = new Set(started.flatMap((m) => m.consumed.map((c) => c.value)));
      assert.deepEqual(producedDuring.filter((v) => !seen.has(v)), [], 'every message produced during the rebalances is consumed');
    });
  });

  test('all members stop and restart: commits equal what was consumed, and only newer messages arrive', async () => {
    await fx.cluster.guard(async () => {
      await Promise.all(active.map(async (m) => await m.stop()));
      const committed = await committedOffsets(fx.admin, groupId, topic);
      const high = await highWatermarks(fx.admin, topic);
      const nextByPartition = new Map<number, number>();
      for (const c of started.flatMap((m) => m.consumed)) {
        nextByPartition.set(c.partition, Math.max(nextByPartition.get(c.partition) ?? 0, c.offset + 1));
      }
      assert.deepEqual(entries(committed), entries(high), 'commits are at the high watermarks');
      assert.deepEqual(entries(committed), entries(nextByPartition), 'commits are one past the last consumed offsets');
      const { groups } = await fx.admin.describeGroups([groupId]);
      assert.equal(groups[0]?.state, 'Empty');

      const oldValues = new Set(started.flatMap((m) => m.consumed.map((c) => c.value)));
      const fresh = await produceNumbered(fx.kafka, topic, 'c', 600, 100);
      const restarted = [await start('r0'), await start('r1'), await start('r2')];
      active = restarted;
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), {
        timeoutMs: 60_000,
        what: 'the restarted group to commit the new messages',
      });
      const consumed = restarted.flatMap((m) => m.consumed);
      assert.deepEqual(consumed.filter((c) => oldValues.has(c.value)).map((c) => c.value).slice(0, 10), [], 'no old message again');
      const counts = countValues(consumed.map((c) => c.value));
      assert.deepEqual(fresh.filter((v) => !counts.has(v)), [], 'every new message consumed');
      for (const c of consumed) {
        assert.ok(c.offset >= (nextByPartition.get(c.partition) ?? 0), `offset ${c.offset} of partition ${c.partition} precedes the commit`);
      }
      assert.equal(consumed.length, fresh.length, 'each new message once');
      await Promise.all(restarted.map(async (m) => await m.stop()));
    });
  });
});

describe('ListGroups, DescribeGroups and DeleteGroups through kafkajs admin (1 broker)', { timeout: 120_000 }, () => {
  const topic = randomTopic('admin-cg');
  const groupId = `admin-${topic}`;
  let member: KafkajsGroupMember | undefined;

  // Registered before useCluster's hooks, so the clients stop while the brokers still run.
  after(async () => {
    await member?.stop().catch(() => undefined);
  });

  const fx = useCluster({ brokers: 1, overrides: OVERRIDES });

  test('an active group is listed and described, cannot be deleted (NON_EMPTY_GROUP); an empty one can, and its offsets go', async () => {
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
      const unknown = await fx.admin.describeGroups([`never-${topic}`]);
      assert.equal(unknown.groups[0]?.state, 'Dead', 'an unknown group is described as Dead');

      member = await KafkajsGroupMember.start({ bootstrap: fx.cluster.bootstrap, groupId, topic, name: 'admin-member' });
      await produceNumbered(fx.kafka, topic, 'x', 50, 50);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), { timeoutMs: 30_000, what: 'commits' });

      const { groups: listed } = await fx.admin.listGroups();
      assert.deepEqual(listed.filter((g) => g.groupId === groupId), [{ groupId, protocolType: 'consumer' }]);

      const { groups } = await fx.admin.describeGroups([groupId]);
      const g = groups[0];
      assert.ok(g !== undefined);
      assert.equal(g.state, 'Stable');
      assert.equal(g.protocolType, 'consumer');
      assert.equal(g.protocol, 'RoundRobinAssigner');
      assert.equal(g.members.length, 1);
      assert.equal(g.members[0]?.clientId, 'admin-member');
      assert.equal(g.members[0]?.memberId, member.lastJoin?.memberId);
      assert.deepEqual(assignedPartitionsOf(decodeConsumerAssignment(g.members[0]?.memberAssignment ?? Buffer.alloc(0)), topic), [0, 1]);

      const refused = await fx.admin.deleteGroups([groupId]).then(
        () => undefined,
        (err: unknown) => err as { name?: string; groups?: Array<{ groupId: string; errorCode?: number; error?: { type?: string } }> },
      );
      assert.ok(refused !== undefined, 'deleting an active group fails');
      assert.equal(refused.name, 'KafkaJSDeleteGroupsError');
      assert.equal(refused.groups?.[0]?.groupId, groupId);
      assert.equal(refused.groups?.[0]?.errorCode, 68);
      assert.equal(refused.groups?.[0]?.error?.type, 'NON_EMPTY_GROUP');
      assert.equal((await committedOffsets(fx.admin, groupId, topic)).get(0), (await highWatermarks(fx.admin, topic)).get(0), 'still committed');

      await member.stop();
      member = undefined;
      const emptied = await fx.admin.describeGroups([groupId]);
      assert.equal(emptied.groups[0]?.state, 'Empty');
      const deleted = await fx.admin.deleteGroups([groupId]);
      assert.deepEqual(deleted.map((d) => [d.groupId, d.errorCode]), [[groupId, 0]]);
      const offsets = await committedOffsets(fx.admin, groupId, topic);
      assert.deepEqual(entries(offsets), [[0, -1], [1, -1]], 'no offsets after deletion');
      assert.ok(!(await fx.admin.listGroups()).groups.some((x) => x.groupId === groupId), 'no longer listed');
      assert.equal((await fx.admin.describeGroups([groupId])).groups[0]?.state, 'Dead');
    });
  });
});
