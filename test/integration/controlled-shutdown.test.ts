// Controlled shutdown of the leader of many partitions: on SIGTERM the broker has the controller move every
// leadership and take it out of every ISR before it exits; a producer writing acks=all to all partitions meanwhile
// sees only retriable errors and loses nothing; the restarted broker rejoins every ISR.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { ContinuousProducer } from '../harness/continuous-producer.js';
import { useCluster } from '../harness/fixture.js';
import { entriesWith } from '../harness/log-lines.js';
import { ackedReadBack, controllerId, partitionStates, readPartitionValues, zxids, createRf3Topic } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';

const PARTITIONS = 30;

describe('controlled shutdown (3 brokers, 30 partitions, RF=3)', { timeout: 300_000 }, () => {
  const fx = useCluster({
    brokers: 3,
    overrides: {
      'zookeeper.session.timeout.ms': '6000',
      'replica.lag.time.max.ms': '5000',
      'auto.leader.rebalance.enable': 'false',
    },
  });

  test('SIGTERM moves leadership and ISR membership off the broker before it exits; producers see only retriable errors', async (t) => {
    await fx.cluster.guard(async () => {
      const cluster = fx.cluster;
      const topic = randomTopic('cshutdown');
      await createRf3Topic(fx.admin, topic, PARTITIONS);
      const initial = await cluster.waitFor(
        async () => {
          const states = await partitionStates(cluster, topic, PARTITIONS);
          return states.every((s) => s.isr.length === 3) ? states : null;
        },
        { timeoutMs: 30_000, what: 'full ISRs on every partition' },
      );
      // The broker to stop: not the controller (its own failover is another test), the one leading the most.
      const controller = await controllerId(cluster);
      const ledBy = (id: number): number => initial.filter((s) => s.leader === id).length;
      const [x] = [1, 2, 3].filter((id) => id !== controller).sort((a, b) => ledBy(b) - ledBy(a));
      assert.ok(x !== undefined);
      assert.ok(ledBy(x) >= 5, `broker ${x} leads ${ledBy(x)} partitions`);
      t.diagnostic(`stopping broker ${x}, leader of ${ledBy(x)} of ${PARTITIONS} partitions (controller: ${controller})`);

      const producer = new ContinuousProducer(cluster.bootstrap, topic, PARTITIONS);
      await producer.start();
      try {
        await cluster.waitFor(() => producer.ackedCounts().every((n) => n >= 3), { timeoutMs: 30_000, what: 'records acknowledged on every partition' });

        const mark = cluster.logMark(x);
        const signalledAt = Date.now();
        await cluster.kill(x, 'SIGTERM');
        const shutdownMs = Date.now() - signalledAt;
        const states = await partitionStates(cluster, topic, PARTITIONS);
        // Before, not because of, the exit: every state znode was last written before /brokers/ids/<x> went away.
        assert.equal(await cluster.zkClient.exists(`/brokers/ids/${x}`), undefined, 'the broker deregistered');
        const deregisteredAt = (await zxids(cluster, '/brokers/ids')).pzxid;
        const writtenAfter: number[] = [];
        for (let p = 0; p < PARTITIONS; p++) {
          if ((await zxids(cluster, `/brokers/topics/${topic}/partitions/${p}/state`)).mzxid > deregisteredAt) writtenAfter.push(p);
        }
        assert.deepEqual(writtenAfter, [], 'no state znode needed a write after the broker deregistered');
        const proc = cluster.broker(x).process;
        t.diagnostic(`broker ${x} exited ${shutdownMs} ms after SIGTERM (code ${proc.exitCode}, signal ${proc.signalCode})`);
        assert.deepEqual(states.flatMap((s, p) => (s.leader === x ? [p] : [])), [], `no partition is led by ${x} once it has exited`);
        assert.deepEqual(states.flatMap((s, p) => (s.isr.includes(x) ? [p] : [])), [], `${x} is in no ISR once it has exited`);
        assert.ok(states.every((s) => s.leader > 0 && s.leader !== x && s.isr.includes(s.leader)), 'every partition has a live leader');
        const log = cluster.logsSince(x, mark);
        assert.equal(entriesWith(log, 'controlled shutdown succeeded').length, 1, `broker ${x} logged that its controlled shutdown succeeded`);
        assert.equal(proc.signalCode, null, 'the broker exited by itself, not killed after the grace period');
        assert.equal(proc.exitCode, 0);
        assert.ok(shutdownMs < 15_000, `controlled shutdown took ${shutdownMs} ms`);

        // Producers carry on without the stopped broker.
        const atExit = producer.ackedCounts();
        await cluster.waitFor(() => producer.ackedCounts().every((n, p) => n >= (atExit[p] ?? 0) + 3), {
          timeoutMs: 30_000,
          what: 'more records acknowledged on every partition after the exit',
        });

        await cluster.start(x);
        await cluster.waitFor(
          async () => (await partitionStates(cluster, topic, PARTITIONS)).every((s) => s.isr.includes(x)),
          { timeoutMs: 60_000, what: `broker ${x} back in every ISR` },
        );
        await sleep(500);
      } finally {
        await producer.stop();
      }
      const errorsByKind = new Map<string, number>();
      for (const e of producer.errors) {
        const kind = `${e.name}/${e.type ?? '-'}/retriable=${e.retriable}`;
        errorsByKind.set(kind, (errorsByKind.get(kind) ?? 0) + 1);
      }
      const total = producer.ackedCounts().reduce((a, b) => a + b, 0);
      t.diagnostic(`acknowledged ${total} records; producer errors: ${JSON.stringify(Object.fromEntries(errorsByKind))}`);
      assert.deepEqual(producer.errors.filter((e) => !e.retriable), [], 'the producer saw only retriable errors');

      for (let p = 0; p < PARTITIONS; p++) {
        const acked = producer.acked[p] ?? [];
        const { missing, ackedAsRead } = ackedReadBack(acked, await readPartitionValues(cluster.bootstrap, topic, p));
        assert.deepEqual(missing, [], `partition ${p}: every acknowledged record is read back`);
        assert.deepEqual(ackedAsRead, acked, `partition ${p}: in the order acknowledged`);
      }
    });
  });
});
