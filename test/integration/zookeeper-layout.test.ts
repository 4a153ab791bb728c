// Three real brokers under a chroot: the znodes they write match Kafka 2.8's ZooKeeper layout, a topic written
// straight into ZooKeeper is picked up, a crashed broker's registration expires, and the controller fails over.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { KafkajsReader } from '../harness/kafkajs-reader.js';
import { randomTopic } from '../harness/paths.js';
import { ZkInspector } from '../harness/zk-inspect.js';

const ID_22 = /^[A-Za-z0-9_-]{22}$/;
const MS_STRING = /^\d{13}$/;

const PERSISTENT_PATHS = [
  '/consumers',
  '/brokers/ids',
  '/brokers/topics',
  '/brokers/seqid',
  '/config/changes',
  '/config/topics',
  '/config/clients',
  '/config/users',
  '/config/brokers',
  '/config/ips',
  '/admin/delete_topics',
  '/isr_change_notification',
  '/latest_producer_id_block',
  '/log_dir_event_notification',
] as const;

type Json = Record<string, unknown>;

interface PartitionState {
  controller_epoch: number;
  leader: number;
  version: number;
  leader_epoch: number;
  isr: number[];
}

const chrootName = `streamkeeper-${Math.random().toString(36).slice(2, 10)}`;

describe('ZooKeeper layout with 3 brokers under a chroot', { timeout: 180_000 }, () => {
  const fx = useCluster({
    brokers: 3,
    chroot: `/${chrootName}`,
    zkTickMs: 500,
    overrides: { 'zookeeper.session.timeout.ms': '4000' },
  });
  const topic = randomTopic('zkl');
  const directTopic = randomTopic('zkdirect');
  let assignment: Record<string, number[]> = {};

  const zk = (): ZkInspector => fx.cluster.zkClient;
  const state = async (t: string, p: number): Promise<PartitionState | undefined> =>
    (await zk().getJson(`/brokers/topics/${t}/partitions/${p}/state`)) as PartitionState | undefined;
  const controllerEpoch = async (): Promise<number> => Number((await zk().get('/controller_epoch'))?.data.toString());
  const controllerId = async (): Promise<number | undefined> => ((await zk().getJson('/controller')) as Json | undefined)?.['brokerid'] as number | undefined;

  test('everything lives under the chroot; the persistent paths exist', async () => {
    await fx.cluster.guard(async () => {
      const root = await ZkInspector.connect(fx.cluster.zk.connectString);
      try {
        assert.ok((await root.children('/'))?.includes(chrootName), 'chroot node at the root');
        assert.equal(await root.exists('/brokers'), undefined, 'no /brokers outside the chroot');
        assert.equal(await root.exists('/cluster'), undefined, 'no /cluster outside the chroot');
      } finally {
        root.close();
      }
      for (const p of PERSISTENT_PATHS) {
        const stat = await zk().exists(p);
        assert.ok(stat !== undefined, `${p} exists`);
        assert.equal(stat.ephemeralOwner, '0', `${p} is persistent`);
      }
    });
  });

  test('/cluster/id is {"version":"1","id":<22 chars>}', async () => {
    await fx.cluster.guard(async () => {
      const node = (await zk().getJson('/cluster/id')) as Json;
      assert.deepEqual(Object.keys(node).sort(), ['id', 'version']);
      assert.equal(node['version'], '1');
      assert.match(String(node['id']), ID_22);
    });
  });

  test('/brokers/ids/<id> is an ephemeral v5 registration with dataVersion 1', async () => {
    await fx.cluster.guard(async () => {
      assert.deepEqual(await zk().children('/brokers/ids'), ['1', '2', '3']);
      for (const b of fx.cluster.brokers.values()) {
        const node = await zk().get(`/brokers/ids/${b.id}`);
        assert.ok(node !== undefined);
        assert.notEqual(node.stat.ephemeralOwner, '0', 'ephemeral');
        assert.equal(node.stat.version, 1, 'created empty, then set once (dataVersion 1)');
        const reg = JSON.parse(node.data.toString()) as Json;
        assert.equal(reg['version'], 5);
        assert.equal(reg['host'], '127.0.0.1');
        assert.equal(reg['port'], b.port);
        assert.deepEqual(reg['endpoints'], [`PLAINTEXT://127.0.0.1:${b.port}`]);
        assert.deepEqual(reg['listener_security_protocol_map'], { PLAINTEXT: 'PLAINTEXT' });
        assert.deepEqual(reg['features'], {});
        assert.equal(reg['jmx_port'], -1);
        assert.match(String(reg['timestamp']), MS_STRING);
        assert.equal(typeof reg['timestamp'], 'string');
        assert.ok(Math.abs(Number(reg['timestamp']) - Date.now()) < 300_000, 'timestamp is recent epoch ms');
      }
    });
  });

  test('/controller names a live broker (ephemeral v1); /controller_epoch is a plain number >= 1', async () => {
    await fx.cluster.guard(async () => {
      const node = await zk().get('/controller');
      assert.ok(node !== undefined);
      assert.notEqual(node.stat.ephemeralOwner, '0', 'ephemeral');
      const c = JSON.parse(node.data.toString()) as Json;
      assert.deepEqual(Object.keys(c).sort(), ['brokerid', 'timestamp', 'version']);
      assert.equal(c['version'], 1);
      assert.ok([1, 2, 3].includes(c['brokerid'] as number), `brokerid ${String(c['brokerid'])}`);
      assert.match(String(c['timestamp']), MS_STRING);
      assert.equal(typeof c['timestamp'], 'string');
      // The owner of /controller is the session that registered that broker.
      const reg = await zk().exists(`/brokers/ids/${String(c['brokerid'])}`);
      assert.equal(node.stat.ephemeralOwner, reg?.ephemeralOwner, '/controller is owned by the named broker');
      const epoch = (await zk().get('/controller_epoch'))?.data.toString() ?? '';
      assert.match(epoch, /^\d+$/);
      assert.ok(Number(epoch) >= 1);
    });
  });

  test('a topic created with kafkajs admin gets Kafka-format topic, config and partition state znodes', async () => {
    await fx.cluster.guard(async () => {
      assert.equal(
        await fx.admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 1 }], waitForLeaders: true }),
        true,
      );
      const t = (await zk().getJson(`/brokers/topics/${topic}`)) as Json;
      assert.equal(t['version'], 3);
      assert.deepEqual(t['adding_replicas'], {});
      assert.deepEqual(t['removing_replicas'], {});
      assert.match(String(t['topic_id']), ID_22);
      assignment = t['partitions'] as Record<string, number[]>;
      assert.deepEqual(Object.keys(assignment).sort(), ['0', '1', '2']);
      const firsts = Object.values(assignment).map((r) => {
        assert.equal(r.length, 1, 'replication factor 1');
        return r[0];
      });
      assert.deepEqual([...firsts].sort(), [1, 2, 3], 'round-robin over the 3 brokers');

      assert.deepEqual(await zk().getJson(`/config/topics/${topic}`), { version: 1, config: {} });
      const epoch = await controllerEpoch();
      for (const [p, replicas] of Object.entries(assignment)) {
        assert.ok((await zk().exists(`/brokers/topics/${topic}/partitions/${p}`)) !== undefined);
        const s = await fx.cluster.waitFor(async () => await state(topic, Number(p)), { what: `state of ${topic}-${p}` });
        assert.deepEqual(s, { controller_epoch: epoch, leader: replicas[0], version: 1, leader_epoch: 0, isr: [replicas[0]] });
      }
    });
  });

  test('a topic written straight into ZooKeeper (like kafka-topics --zookeeper) is picked up and usable', async () => {
    await fx.cluster.guard(async () => {
      await zk().createPersistent(`/config/topics/${directTopic}`, '{"version":1,"config":{}}');
      await zk().createPersistent(`/brokers/topics/${directTopic}`, '{"version":1,"partitions":{"0":[2],"1":[3]}}');
      for (const [p, leader] of [[0, 2], [1, 3]] as const) {
        const s = await fx.cluster.waitFor(async () => await state(directTopic, p), { what: `state of ${directTopic}-${p}` });
        assert.equal(s.leader, leader);
        assert.deepEqual(s.isr, [leader]);
        assert.equal(s.leader_epoch, 0);
      }
      const producer = fx.kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        await fx.cluster.waitFor(
          async () => {
            const { topics } = await fx.admin.fetchTopicMetadata({ topics: [directTopic] });
            return topics[0]?.partitions.length === 2 && topics[0].partitions.every((p) => p.leader >= 0);
          },
          { what: `metadata for ${directTopic}` },
        );
        for (const p of [0, 1]) {
          const [r] = await producer.send({ topic: directTopic, acks: -1, messages: [{ key: `k${p}`, value: `direct-${p}`, partition: p }] });
          assert.equal(r?.errorCode, 0);
          assert.equal(r?.baseOffset, '0');
        }
      } finally {
        await producer.disconnect();
      }
      const reader = await KafkajsReader.connect(fx.cluster.bootstrap);
      try {
        for (const p of [0, 1]) {
          const { records } = await reader.readPartition(directTopic, p);
          assert.deepEqual(records.map((r) => [r.offset, r.key?.toString(), r.value?.toString()]), [[0, `k${p}`, `direct-${p}`]]);
        }
      } finally {
        await reader.close();
      }
    });
  });

  test('kill -9 of a non-controller broker: its registration expires, its partition goes offline, and it comes back', async () => {
    await fx.cluster.guard(async () => {
      const controller = await controllerId();
      const victim = [1, 2, 3].find((id) => id !== controller) ?? -1;
      const led = Object.entries(assignment).find(([, r]) => r[0] === victim);
      assert.ok(led !== undefined, `broker ${victim} leads a partition of ${topic}`);
      const partition = Number(led[0]);
      const killedAt = Date.now();
      await fx.cluster.kill(victim, 'SIGKILL');
      assert.ok((await zk().exists(`/brokers/ids/${victim}`)) !== undefined, 'the ephemeral node outlives the process');
      await fx.cluster.waitDeregistered(victim, 20_000);
      const elapsed = Date.now() - killedAt;
      assert.ok(elapsed >= 2000, `registration vanished after ${elapsed} ms, i.e. by session expiry`);
      const offline = await fx.cluster.waitFor(
        async () => {
          const s = await state(topic, partition);
          return s?.leader === -1 ? s : undefined;
        },
        { what: `${topic}-${partition} to lose its leader`, timeoutMs: 15_000 },
      );
      assert.deepEqual(offline.isr, [victim], 'the last ISR member stays in the ISR');
      assert.equal(offline.leader_epoch, 1);

      await fx.cluster.start(victim);
      const back = await fx.cluster.waitFor(
        async () => {
          const s = await state(topic, partition);
          return s?.leader === victim ? s : undefined;
        },
        { what: `${topic}-${partition} led by ${victim} again`, timeoutMs: 15_000 },
      );
      assert.deepEqual(back.isr, [victim]);
      assert.equal(back.leader_epoch, 2);
    });
  });

  test('kill -9 of the controller: another broker takes /controller with a higher epoch', async () => {
    await fx.cluster.guard(async () => {
      const old = await controllerId();
      assert.ok(old !== undefined);
      const oldEpoch = await controllerEpoch();
      await fx.cluster.kill(old, 'SIGKILL');
      const next = await fx.cluster.waitFor(
        async () => {
          const id = await controllerId();
          return id !== undefined && id !== old ? id : undefined;
        },
        { what: 'a new controller', timeoutMs: 25_000 },
      );
      assert.ok([1, 2, 3].filter((id) => id !== old).includes(next));
      assert.ok(fx.cluster.isRunning(next));
      // Without multi-op the election is two writes (/controller, then /controller_epoch; see
      // src/zk/controller-fence.ts): the epoch follows the node by one round trip.
      const newEpoch = await fx.cluster.waitFor(
        async () => {
          const e = await controllerEpoch();
          return e > oldEpoch ? e : undefined;
        },
        { what: `/controller_epoch above ${oldEpoch}`, timeoutMs: 5_000 },
      );
      assert.ok(newEpoch > oldEpoch, `controller epoch ${newEpoch} > ${oldEpoch}`);
      const node = await zk().get('/controller');
      const reg = await zk().exists(`/brokers/ids/${next}`);
      assert.equal(node?.stat.ephemeralOwner, reg?.ephemeralOwner, 'owned by the new controller session');
    });
  });
});
