import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedZooKeeper, uniquePath, watch } from './zk-test-helpers.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { KafkaZkClient } from '../../src/zk/kafka-zk-client.js';
import { ControllerMovedError } from '../../src/zk/kafka-zk-errors.js';
import { ZkNodeExistsError } from '../../src/zk/zk-errors.js';
import { ZkPaths } from '../../src/zk/paths.js';
import { encodePreferredReplicaElection, encodeReassignPartitions } from '../../src/zk/codecs/admin.js';
import { decodeTopicAssignment } from '../../src/zk/codecs/topic-assignment.js';
import {
  createPartitionReassignment,
  createPreferredReplicaElection,
  getPartitionReassignment,
  getPreferredReplicaElection,
} from '../../src/zk/kafka-zk-admin-nodes.js';
import { ZkAdapter } from '../../src/cluster/zk-adapter.js';
import { ManualClock } from '../../src/util/clock.js';

describe('admin request znodes: bytes as Kafka writes them', () => {
  // Kafka 2.8 ReassignPartitionsZNode / PreferredReplicaElectionZNode encode small Scala Maps, which keep insertion order.
  test('/admin/reassign_partitions and /admin/preferred_replica_election', () => {
    assert.equal(
      encodeReassignPartitions([{ topic: 'foo', partition: 0, replicas: [4, 5, 6] }, { topic: 'bar', partition: 2, replicas: [1] }]).toString(),
      '{"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[4,5,6]},{"topic":"bar","partition":2,"replicas":[1]}]}',
    );
    assert.equal(encodePreferredReplicaElection([{ topic: 'foo', partition: 0 }]).toString(), '{"version":1,"partitions":[{"topic":"foo","partition":0}]}');
    assert.equal(encodePreferredReplicaElection([]).toString(), '{"version":1,"partitions":[]}');
  });

  test('a topic znode written by Kafka during a reassignment decodes with its adding/removing replicas', () => {
    const kafka = '{"version":3,"partitions":{"0":[4,5,1],"1":[2,3]},"adding_replicas":{"0":[4,5]},"removing_replicas":{"0":[1]},"topic_id":"Q2Hc6eR3QsqVDkz0LpLqAQ"}';
    const a = decodeTopicAssignment(Buffer.from(kafka));
    assert.deepEqual([...a.addingReplicas], [[0, [4, 5]]]);
    assert.deepEqual([...a.removingReplicas], [[0, [1]]]);
    assert.deepEqual([...a.partitions], [[0, [4, 5, 1]], [1, [2, 3]]]);
  });
});

const { server, track } = sharedZooKeeper();

async function client(chroot: string): Promise<KafkaZkClient> {
  const zk = track(await ZkClient.connect({ connectString: `${server().connectString}${chroot}`, sessionTimeoutMs: 4000 }));
  const kzc = new KafkaZkClient(zk, { clock: new ManualClock() });
  await kzc.createTopLevelPaths();
  return kzc;
}

describe('admin request znodes against a real ZooKeeper', { timeout: 60_000 }, () => {
  test('reassign_partitions: existence watch fires on create; the controller rewrites it and deletes it when empty (fenced)', async () => {
    const kzc = await client(uniquePath());
    const adapter = new ZkAdapter(kzc);
    const fence = await kzc.registerControllerAndIncrementEpoch(1);
    assert.ok(fence !== null);
    let onCreate: () => void = () => undefined;
    const created = new Promise<void>((resolve) => (onCreate = resolve));
    assert.equal(await adapter.reassignments(() => onCreate()), null);
    await createPartitionReassignment(kzc.zk, [{ topic: 'a', partition: 0, replicas: [2] }, { topic: 'a', partition: 1, replicas: [3, 2] }]);
    await assert.rejects(createPartitionReassignment(kzc.zk, []), ZkNodeExistsError);
    const w = await watch((cb) => getPartitionReassignment(kzc.zk, cb));
    await created; // the existence watch set while the node was absent fires on creation
    await adapter.setReassignments(fence, [{ topic: 'a', partition: 1, replicas: [3, 2] }]);
    assert.equal((await w.event).type, 'NodeDataChanged');
    assert.equal((await kzc.zk.get(ZkPaths.reassignPartitions)).data?.toString(), '{"version":1,"partitions":[{"topic":"a","partition":1,"replicas":[3,2]}]}');
    await adapter.setReassignments(fence, []);
    assert.equal(await kzc.zk.exists(ZkPaths.reassignPartitions), null);
    // A deposed controller cannot write it.
    await kzc.zk.set(ZkPaths.controllerEpoch, '99', -1);
    await assert.rejects(adapter.setReassignments(fence, [{ topic: 'a', partition: 0, replicas: [1] }]), ControllerMovedError);
  });

  test('preferred_replica_election: created by a tool, read by the controller, deleted (fenced)', async () => {
    const kzc = await client(uniquePath());
    const adapter = new ZkAdapter(kzc);
    const fence = await kzc.registerControllerAndIncrementEpoch(1);
    assert.ok(fence !== null);
    assert.equal(await createPreferredReplicaElection(kzc.zk, []), true);
    assert.equal(await createPreferredReplicaElection(kzc.zk, [{ topic: 'x', partition: 0 }]), false);
    assert.deepEqual(await adapter.preferredElection(() => undefined), []);
    await adapter.removePreferredElection(fence);
    assert.equal(await getPreferredReplicaElection(kzc.zk), null);
    await adapter.removePreferredElection(fence); // absent: no error
  });

  test('setAssignment writes adding/removing replicas; CreatePartitions keeps them', async () => {
    const kzc = await client(uniquePath());
    const adapter = new ZkAdapter(kzc);
    const fence = await kzc.registerControllerAndIncrementEpoch(1);
    assert.ok(fence !== null);
    await kzc.createTopic('t', new Map([[0, [1]]]), {}, 'Q2Hc6eR3QsqVDkz0LpLqAQ');
    await adapter.setAssignment(fence, 't', { partitions: new Map([[0, [2, 1]]]), addingReplicas: new Map([[0, [2]]]), removingReplicas: new Map([[0, [1]]]), topicId: 'Q2Hc6eR3QsqVDkz0LpLqAQ' });
    await adapter.setTopicPartitions('t', new Map([[0, [2, 1]], [1, [1]]]), 'Q2Hc6eR3QsqVDkz0LpLqAQ');
    const a = await adapter.assignment('t');
    assert.deepEqual(a, {
      partitions: new Map([[0, [2, 1]], [1, [1]]]),
      addingReplicas: new Map([[0, [2]]]),
      removingReplicas: new Map([[0, [1]]]),
      topicId: 'Q2Hc6eR3QsqVDkz0LpLqAQ',
    });
  });
});
