// Fencing of a zombie leader: a leader SIGSTOPped beyond its ZooKeeper session is replaced by an ISR member with a
// higher leader epoch; acks=all writes go on through the new leader; after SIGCONT the old leader acknowledges no
// acks=all write (a Produce queued to it while stopped is refused), re-registers with a new broker epoch, follows
// the new leader, truncates whatever it appended on its own, and ends up with the new leader's bytes on disk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { newKafka } from '../harness/clients.js';
import { useCluster } from '../harness/fixture.js';
import { entriesWith } from '../harness/log-lines.js';
import {
  ackedReadBack,
  controllerEpoch,
  controllerId,
  partitionState,
  readPartitionValues,
  segmentBytes,
  type PartitionState,
  createRf3Topic,
} from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';
import { API, RawConnection, parseProduceV3Response, produceV3Body } from '../harness/raw-connection.js';
import { buildRecordBatch } from '../harness/record-batch.js';

const SESSION_TIMEOUT_MS = 6000;
/** Errors a deposed leader may answer an acks=all Produce with; 0 (success) is the one that must never come. */
const REFUSALS = { NOT_LEADER_OR_FOLLOWER: 6, REQUEST_TIMED_OUT: 7, NOT_ENOUGH_REPLICAS: 19, NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20 } as const;
const ZOMBIE = 'zombie-write';

describe('fencing (3 brokers, RF=3, min.insync.replicas=2)', { timeout: 300_000 }, () => {
  const fx = useCluster({
    brokers: 3,
    overrides: {
      'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'replica.lag.time.max.ms': '5000',
      // Leadership must stay where the failover put it, so that "the old leader follows" is what is observed.
      'auto.leader.rebalance.enable': 'false',
    },
  });

  test('a SIGSTOPped leader is replaced, acknowledges no acks=all write after SIGCONT, follows and truncates', async (t) => {
    await fx.cluster.guard(async () => {
      const cluster = fx.cluster;
      const topic = randomTopic('fencing');
      await createRf3Topic(fx.admin, topic);
      const acked: string[] = [];
      const produce = async (bootstrap: readonly string[], prefix: string, count: number): Promise<void> => {
        const producer = newKafka(bootstrap, `sk-fencing-${prefix}`).producer();
        await producer.connect();
        try {
          for (let i = 0; i < count; i++) {
            const batch = Array.from({ length: 5 }, (_, j) => `${prefix}-${i * 5 + j}`);
            await producer.send({ topic, acks: -1, messages: batch.map((value) => ({ value })) });
            acked.push(...batch);
          }
        } finally {
          await producer.disconnect();
        }
      };
      await produce(cluster.bootstrap, 'before', 20);
      const before = await cluster.waitFor(
        async () => {
          const s = await partitionState(cluster, topic, 0);
          return s.isr.length === 3 ? s : null;
        },
        { timeoutMs: 20_000, what: 'a full ISR' },
      );
      const old = before.leader;
      const oldBroker = cluster.broker(old);
      const oldEpoch = oldBroker.brokerEpoch;
      const oldWasController = (await controllerId(cluster)) === old;
      const live = [1, 2, 3].filter((id) => id !== old);

      const mark = cluster.logMark(old);
      const stoppedAt = Date.now();
      process.kill(oldBroker.pid, 'SIGSTOP');
      let after: PartitionState;
      let refused: Promise<number>;
      let failoverMs: number;
      let newController: number;
      try {
        after = await cluster.waitFor(
          async () => {
            const s = await partitionState(cluster, topic, 0);
            return s.leader !== old && s.leader > 0 && !s.isr.includes(old) ? s : null;
          },
          { timeoutMs: SESSION_TIMEOUT_MS + 30_000, what: 'a new leader without the stopped broker in the ISR' },
        );
        failoverMs = Date.now() - stoppedAt;
        assert.ok(before.isr.includes(after.leader), 'the new leader comes from the ISR');
        assert.ok(after.leader_epoch > before.leader_epoch, `leader epoch ${before.leader_epoch} -> ${after.leader_epoch}`);
        assert.equal(after.isr.length, 2);
        newController = await cluster.waitFor(
          async () => {
            const id = await controllerId(cluster);
            return live.includes(id) ? id : null;
          },
          { timeoutMs: 20_000, what: '/controller naming a live broker' },
        );
        assert.equal(after.controller_epoch, await controllerEpoch(cluster), 'the state was written by the current controller');

        // acks=all goes on through the new leader while the old one is frozen.
        await produce(live.map((id) => `127.0.0.1:${cluster.broker(id).port}`), 'during', 10);

        // A Produce to the frozen old leader: the kernel accepts the connection and buffers the request, so the
        // broker reads it the moment it runs again, before or while it learns that it was deposed.
        const conn = await RawConnection.connect(oldBroker.port);
        const zombie = buildRecordBatch([{ key: null, value: Buffer.from(ZOMBIE) }]);
        refused = conn
          .request(API.produce, 3, produceV3Body(topic, 0, zombie, -1, 5000), { timeoutMs: 60_000 })
          .then((r) => {
            const [result] = parseProduceV3Response(r);
            if (result === undefined) throw new Error('empty produce response');
            return result.errorCode;
          })
          .finally(() => conn.destroy());
        refused.catch(() => undefined);
        await sleep(300);
      } finally {
        const resumedAt = Date.now();
        process.kill(oldBroker.pid, 'SIGCONT');
        t.diagnostic(`old leader ${old} (controller: ${oldWasController}) was stopped for ${resumedAt - stoppedAt} ms`);
      }
      t.diagnostic(`failover: new leader ${after.leader} with epoch ${after.leader_epoch} in the state znode ${failoverMs} ms after SIGSTOP`);

      const errorCode = await refused;
      t.diagnostic(`the old leader answered the queued acks=all Produce with error code ${errorCode}`);
      assert.ok(
        (Object.values(REFUSALS) as number[]).includes(errorCode),
        `the deposed leader must refuse an acks=all write, got error code ${errorCode}`,
      );

      await cluster.waitRegistered(old, oldEpoch);
      assert.notEqual(cluster.broker(old).brokerEpoch, oldEpoch, 'the old leader registered again with a new broker epoch');
      const rejoined = await cluster.waitFor(
        async () => {
          const s = await partitionState(cluster, topic, 0);
          return s.isr.includes(old) ? s : null;
        },
        { timeoutMs: 30_000, what: `broker ${old} back in the ISR` },
      );
      assert.equal(rejoined.leader, after.leader, 'the new leader keeps leading; the old one follows');
      assert.equal(rejoined.leader_epoch, after.leader_epoch, 'rejoining the ISR does not change the leader epoch');
      assert.equal(rejoined.controller_epoch <= (await controllerEpoch(cluster)), true);
      assert.equal(await controllerId(cluster), newController, 'the resumed broker did not take the controller back');

      await cluster.waitFor(
        () => {
          const leaderBytes = segmentBytes(cluster, after.leader, topic, 0);
          return [1, 2, 3].every((id) => segmentBytes(cluster, id, topic, 0).equals(leaderBytes));
        },
        { timeoutMs: 30_000, what: 'byte-identical segments on all three brokers' },
      );
      const oldLog = cluster.logsSince(old, mark);
      const followed = entriesWith(oldLog, 'became follower').filter((e) => e['topic'] === topic && e['leader'] === after.leader);
      assert.ok(followed.length > 0, `broker ${old} logged that it follows ${after.leader}`);
      const truncated = entriesWith(oldLog, /truncat/).filter((e) => e['topic'] === topic);
      t.diagnostic(`old leader truncation log lines: ${JSON.stringify(truncated.map((e) => ({ message: e.message, from: e['from'], to: e['to'] })))}`);

      const values = await readPartitionValues(cluster.bootstrap, topic, 0);
      assert.ok(!values.includes(ZOMBIE), 'the write sent to the deposed leader is nowhere in the partition');
      const { missing, ackedAsRead } = ackedReadBack(acked, values);
      assert.deepEqual(missing, [], 'every acknowledged record is read back');
      assert.deepEqual(ackedAsRead, acked, 'in the order acknowledged');
      assert.ok(segmentBytes(cluster, old, topic, 0).indexOf(ZOMBIE) < 0, 'no zombie bytes left on the old leader\'s disk');
    });
  });
});
