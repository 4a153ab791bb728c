// One real broker driven by Debian's kcat (librdkafka 2.0.2): metadata listing, auto-created topic, keyed produce
// and a full read back with librdkafka's CRC check switched on.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { kcat } from '../harness/kcat.js';
import { randomTopic } from '../harness/paths.js';

const PARTITIONS = 3;
const LINES = 500;

interface KcatMetadata {
  readonly brokers: Array<{ id: number; name: string }>;
  readonly topics: Array<{
    topic: string;
    error?: string;
    partitions: Array<{ partition: number; leader: number; replicas: Array<{ id: number }>; isrs: Array<{ id: number }> }>;
  }>;
}

describe('kcat against one broker', { timeout: 90_000 }, () => {
  const fx = useCluster({
    brokers: 1,
    overrides: { 'num.partitions': String(PARTITIONS), 'auto.create.topics.enable': 'true' },
  });
  let bootstrap: string;
  const topic = randomTopic('kcat');
  const produced = Array.from({ length: LINES }, (_, i) => `key-${i}:value-${i}`);

  before(() => {
    bootstrap = fx.cluster.bootstrap.join(',');
  });

  test('kcat -L -J lists the broker with its advertised address', async () => {
    await fx.cluster.guard(async () => {
      const res = await kcat(['-b', bootstrap, '-L', '-J', '-m', '10'], { timeoutMs: 20_000 });
      assert.equal(res.code, 0, `kcat -L failed: ${res.stderr}`);
      const md = JSON.parse(res.stdout) as KcatMetadata;
      assert.deepEqual(md.brokers.map((b) => [b.id, b.name]), [[1, fx.cluster.bootstrap[0]]]);
    });
  });

  test('kcat -P -K: produces 500 keyed lines to a topic that is auto-created', async () => {
    await fx.cluster.guard(async () => {
      const res = await kcat(['-b', bootstrap, '-P', '-K:', '-t', topic, '-X', 'acks=all', '-X', 'topic.metadata.refresh.interval.ms=500'], {
        input: `${produced.join('\n')}\n`,
        timeoutMs: 30_000,
      });
      assert.equal(res.code, 0, `kcat -P exited ${res.code} (timed out: ${res.timedOut}): ${res.stderr}`);
      assert.doesNotMatch(res.stderr, /fail|error/i);
    });
  });

  test('kcat -L -J shows the auto-created topic with its partitions led by broker 1', async () => {
    await fx.cluster.guard(async () => {
      const res = await kcat(['-b', bootstrap, '-L', '-J', '-t', topic, '-m', '10'], { timeoutMs: 20_000 });
      assert.equal(res.code, 0, `kcat -L failed: ${res.stderr}`);
      const md = JSON.parse(res.stdout) as KcatMetadata;
      const t = md.topics.find((x) => x.topic === topic);
      assert.ok(t !== undefined, `topic ${topic} in ${res.stdout}`);
      assert.equal(t.error, undefined, `topic error ${t.error ?? ''}`);
      assert.deepEqual(t.partitions.map((p) => p.partition).sort(), [0, 1, 2]);
      for (const p of t.partitions) {
        assert.equal(p.leader, 1);
        assert.deepEqual(p.replicas.map((r) => r.id), [1]);
        assert.deepEqual(p.isrs.map((r) => r.id), [1]);
      }
      const all = await kcat(['-b', bootstrap, '-L', '-J', '-m', '10'], { timeoutMs: 20_000 });
      assert.ok((JSON.parse(all.stdout) as KcatMetadata).topics.some((x) => x.topic === topic), 'listed among all topics');
    });
  });

  test('kcat -C -e reads back exactly what was produced, per partition in order, CRCs checked', async () => {
    await fx.cluster.guard(async () => {
      const res = await kcat(
        ['-b', bootstrap, '-C', '-e', '-t', topic, '-o', 'beginning', '-X', 'check.crcs=true', '-f', '%p|%o|%k:%s\n'],
        { timeoutMs: 30_000 },
      );
      assert.equal(res.code, 0, `kcat -C exited ${res.code} (timed out: ${res.timedOut}): ${res.stderr}`);
      assert.doesNotMatch(res.stderr, /error|crc|corrupt/i);
      const lines = res.stdout.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, LINES, 'number of records read');
      const byPartition = new Map<number, Array<{ offset: number; line: string }>>();
      for (const l of lines) {
        const m = /^(\d+)\|(\d+)\|(.*)$/.exec(l);
        assert.ok(m?.[1] !== undefined && m[2] !== undefined && m[3] !== undefined, `unparsable output line ${l}`);
        const list = byPartition.get(Number(m[1])) ?? [];
        list.push({ offset: Number(m[2]), line: m[3] });
        byPartition.set(Number(m[1]), list);
      }
      const readLines: string[] = [];
      for (const [p, list] of byPartition) {
        assert.deepEqual(list.map((x) => x.offset), list.map((_, i) => i), `offsets of partition ${p} are 0..n-1`);
        // Within a partition the producer's order is kept: the line numbers must increase.
        const indexes = list.map((x) => produced.indexOf(x.line));
        assert.ok(indexes.every((v) => v >= 0), `partition ${p} holds only produced lines`);
        assert.deepEqual(indexes, [...indexes].sort((a, b) => a - b), `partition ${p} keeps the produce order`);
        readLines.push(...list.map((x) => x.line));
      }
      assert.deepEqual(readLines.sort(), [...produced].sort(), 'every produced line exactly once');
      assert.ok(byPartition.size > 1, 'keys spread over more than one partition');
    });
  });
});
