// Consumer groups driven by Debian's kcat (librdkafka 2.0.2 balanced consumer) against one real broker: two members
// split the partitions and commit, a second group reads the topic independently; static members (group.instance.id)
// survive a kill -9 and restart within the session timeout without a rebalance, while a dynamic member's leave
// starts a new generation.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import type { GroupMetadataValue } from '../harness/consumer-offsets-decoder.js';
import { useCluster } from '../harness/fixture.js';
import {
  committedOffsets,
  committedToEnd,
  highWatermarks,
  KcatGroupMember,
  latestGroupRecord,
  produceNumbered,
} from '../harness/group-consumers.js';
import { randomTopic } from '../harness/paths.js';
import { waitFor } from '../harness/wait.js';

const OFFSETS_PARTITIONS = 5;
const PARTITIONS = 4;
const ALL = [0, 1, 2, 3];
const STATIC_SESSION_MS = 10_000;

/** The two members' assignments if they split the topic exactly (disjoint, complete, both non-empty). */
function splitOf(a: KcatGroupMember, b: KcatGroupMember): boolean {
  const joined = [...a.assignment, ...b.assignment].sort((x, y) => x - y);
  return a.assignment.length > 0 && b.assignment.length > 0 && JSON.stringify(joined) === JSON.stringify(ALL);
}

function describeMembers(members: readonly KcatGroupMember[]): string {
  return members.map((m) => `${m.name}: rebalances ${JSON.stringify(m.rebalances)}; stderr tail ${m.stderr.slice(-1500)}`).join('\n');
}

/** Waits until `a` and `b` split the partitions; the error carries what kcat reported. */
async function waitForSplit(a: KcatGroupMember, b: KcatGroupMember, timeoutMs = 30_000): Promise<void> {
  try {
    await waitFor(() => splitOf(a, b), { timeoutMs, what: `${a.name} and ${b.name} splitting the partitions` });
  } catch (err) {
    throw new Error(`${String(err)}\n${describeMembers([a, b])}`, { cause: err });
  }
}

describe('consumer groups with kcat (1 broker)', { timeout: 180_000 }, () => {
  const running: KcatGroupMember[] = [];
  const kcatMember = (groupId: string, topic: string, name: string, config: Readonly<Record<string, string>> = {}): KcatGroupMember => {
    const m = KcatGroupMember.start({
      bootstrap: fx.cluster.bootstrap,
      groupId,
      topic,
      name,
      config: { 'session.timeout.ms': '6000', 'heartbeat.interval.ms': '500', 'auto.commit.interval.ms': '500', ...config },
    });
    running.push(m);
    return m;
  };
  const groupRecord = async (groupId: string): Promise<GroupMetadataValue> => {
    const v = await latestGroupRecord(fx.cluster.bootstrap, groupId, OFFSETS_PARTITIONS);
    if (v === null || v === undefined) throw new Error(`no group record for ${groupId}`);
    return v;
  };

  const groupRecordOfTwo = async (groupId: string): Promise<GroupMetadataValue> =>
    await fx.cluster.waitFor(
      async () => {
        const r = await groupRecord(groupId);
        return r.members.length === 2 ? r : undefined;
      },
      { what: `a group record of ${groupId} with both members` },
    );

  // Registered before useCluster's hooks, so the clients stop while the brokers still run.
  after(async () => {
    await Promise.all(running.map(async (m) => await m.stop('SIGKILL')));
  });

  const fx = useCluster({
    brokers: 1,
    overrides: {
      'offsets.topic.replication.factor': '1',
      'offsets.topic.num.partitions': String(OFFSETS_PARTITIONS),
      'group.initial.rebalance.delay.ms': '0',
      'group.min.session.timeout.ms': '1000',
    },
  });

  test('two kcat members split four partitions, consume every message once and commit; another group reads it all', async () => {
    const topic = randomTopic('kcat-cg');
    const groupId = `kcat-${topic}`;
    const members: KcatGroupMember[] = [];
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      const first = await produceNumbered(fx.kafka, topic, 'k', 400, 100);
      const a = kcatMember(groupId, topic, 'kcat-a');
      const b = kcatMember(groupId, topic, 'kcat-b');
      members.push(a, b);
      await waitForSplit(a, b);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), { timeoutMs: 30_000, what: 'kcat commits at the end' });
      const seen = new Set([...a.consumed, ...b.consumed].map((c) => c.value));
      assert.deepEqual(first.filter((v) => !seen.has(v)), [], 'every message consumed by the group');

      const split = { a: [...a.assignment], b: [...b.assignment] };
      const second = await produceNumbered(fx.kafka, topic, 'n', 200, 50);
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, groupId, topic), { timeoutMs: 30_000, what: 'commits of the new messages' });
      const fresh = [...a.consumed, ...b.consumed].filter((c) => c.value.startsWith('n-'));
      assert.deepEqual(
        [...fresh.map((c) => c.value)].sort(),
        [...second].sort(),
        'each new message consumed exactly once by the stable group',
      );
      for (const c of a.consumed.filter((x) => x.value.startsWith('n-'))) assert.ok(split.a.includes(c.partition), `kcat-a read partition ${c.partition}`);
      for (const c of b.consumed.filter((x) => x.value.startsWith('n-'))) assert.ok(split.b.includes(c.partition), `kcat-b read partition ${c.partition}`);
      assert.deepEqual([a.assignment, b.assignment], [split.a, split.b], 'no rebalance while the group was stable');
      const record = await groupRecord(groupId);
      assert.equal(record.protocolType, 'consumer');
      assert.ok(record.protocol === 'range' || record.protocol === 'roundrobin', `librdkafka's assignor, got ${record.protocol}`);
      assert.deepEqual(record.members.map((m) => m.clientId).sort(), ['kcat-a', 'kcat-b']);
      const committed = await committedOffsets(fx.admin, groupId, topic);

      const other = kcatMember(`other-${topic}`, topic, 'kcat-other');
      members.push(other);
      const all = [...first, ...second];
      await fx.cluster.waitFor(() => new Set(other.consumed.map((c) => c.value)).size === all.length, {
        timeoutMs: 30_000,
        what: 'the second group to read every message',
      });
      assert.deepEqual([...new Set(other.consumed.map((c) => c.value))].sort(), [...all].sort());
      await fx.cluster.waitFor(async () => await committedToEnd(fx.admin, `other-${topic}`, topic), { timeoutMs: 30_000, what: 'second group commits' });
      assert.deepEqual(await committedOffsets(fx.admin, groupId, topic), committed, 'the first group\'s commits are untouched');
      assert.deepEqual(committed, await highWatermarks(fx.admin, topic));
      for (const m of members) assert.deepEqual(m.unparsed, [], `${m.name} printed only messages`);
    });
    await Promise.all(members.map(async (m) => await m.stop('SIGTERM')));
  });

  test('static members: kill -9 and restart within the session timeout keeps the generation and the assignments', async () => {
    const topic = randomTopic('kcat-static');
    const groupId = `static-${topic}`;
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      await produceNumbered(fx.kafka, topic, 's', 100, 100);
      const staticConfig = (instance: string): Record<string, string> => ({
        'group.instance.id': instance,
        'session.timeout.ms': String(STATIC_SESSION_MS),
      });
      const s1 = kcatMember(groupId, topic, 'static-1', staticConfig('inst-1'));
      const s2 = kcatMember(groupId, topic, 'static-2', staticConfig('inst-2'));
      await waitForSplit(s1, s2);
      const before = await groupRecordOfTwo(groupId);
      assert.deepEqual(before.members.map((m) => m.groupInstanceId).sort(), ['inst-1', 'inst-2']);
      const oldId1 = before.members.find((m) => m.groupInstanceId === 'inst-1')?.memberId;
      const oldId2 = before.members.find((m) => m.groupInstanceId === 'inst-2')?.memberId;
      assert.match(oldId1 ?? '', /^inst-1-/, 'a static member id starts with its instance id');
      const s1Assignment = [...s1.assignment];
      const s2Assignment = [...s2.assignment];
      const s2Rebalances = s2.rebalances.length;

      const killedAt = Date.now();
      await s1.stop('SIGKILL');
      const s1b = kcatMember(groupId, topic, 'static-1', staticConfig('inst-1'));
      await fx.cluster.waitFor(() => s1b.assignment.length > 0, { timeoutMs: STATIC_SESSION_MS, what: 'the restarted static member assigned' });
      const rejoinedMs = Date.now() - killedAt;
      assert.ok(rejoinedMs < STATIC_SESSION_MS, `rejoined after ${rejoinedMs} ms, within the session timeout`);
      assert.deepEqual(s1b.assignment, s1Assignment, 'the restarted member gets its old assignment');
      assert.deepEqual(s1b.rebalances.map((r) => r.kind), ['assigned'], 'the restarted member is assigned once');

      const after = await fx.cluster.waitFor(
        async () => {
          const r = await groupRecord(groupId);
          return r.members.some((m) => m.groupInstanceId === 'inst-1' && m.memberId !== oldId1) ? r : undefined;
        },
        { what: 'the group record naming the new member id of inst-1' },
      );
      assert.equal(after.generation, before.generation, 'no new generation');
      assert.equal(after.members.find((m) => m.groupInstanceId === 'inst-2')?.memberId, oldId2);
      const { groups } = await fx.admin.describeGroups([groupId]);
      assert.equal(groups[0]?.state, 'Stable');
      assert.deepEqual(
        groups[0]?.members.map((m) => m.memberId).sort(),
        after.members.map((m) => m.memberId).sort(),
        'DescribeGroups lists the replaced member id',
      );

      // The other member keeps consuming its partitions and never sees a rebalance.
      const more = await produceNumbered(fx.kafka, topic, 't', 100, 100);
      await fx.cluster.waitFor(
        () => new Set([...s1b.consumed, ...s2.consumed].map((c) => c.value).filter((v) => v.startsWith('t-'))).size === more.length,
        { timeoutMs: 30_000, what: 'both static members consuming new messages' },
      );
      assert.equal(s2.rebalances.length, s2Rebalances, `static-2 saw no rebalance: ${JSON.stringify(s2.rebalances)}`);
      assert.deepEqual(s2.assignment, s2Assignment);
      for (const c of s2.consumed.filter((x) => x.value.startsWith('t-'))) assert.ok(s2Assignment.includes(c.partition));
      for (const c of s1b.consumed.filter((x) => x.value.startsWith('t-'))) assert.ok(s1Assignment.includes(c.partition));
      assert.equal((await groupRecord(groupId)).generation, before.generation, 'still the same generation');
      await Promise.all([s1b.stop('SIGTERM'), s2.stop('SIGTERM')]);
    });
  });

  test('control: a dynamic member leaving starts a new generation and the other member takes every partition', async () => {
    const topic = randomTopic('kcat-dyn');
    const groupId = `dynamic-${topic}`;
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
      const d1 = kcatMember(groupId, topic, 'dynamic-1');
      const d2 = kcatMember(groupId, topic, 'dynamic-2');
      await waitForSplit(d1, d2);
      const before = await groupRecordOfTwo(groupId);
      assert.deepEqual(before.members.map((m) => m.groupInstanceId), [null, null]);
      await d1.stop('SIGTERM');
      await fx.cluster.waitFor(() => JSON.stringify(d2.assignment) === JSON.stringify(ALL), {
        timeoutMs: 20_000,
        what: 'the remaining member assigned every partition',
      });
      const after = await groupRecord(groupId);
      assert.ok(after.generation > before.generation, `generation ${before.generation} -> ${after.generation}`);
      assert.deepEqual(after.members.map((m) => m.clientId), ['dynamic-2']);
      await d2.stop('SIGTERM');
    });
  });
});
