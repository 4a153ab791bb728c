import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeClusterId, encodeClusterId } from '../../src/zk/codecs/cluster-id.js';
import { decodeBrokerRegistration, encodeBrokerRegistration } from '../../src/zk/codecs/broker-registration.js';
import type { BrokerRegistration } from '../../src/zk/codecs/broker-registration.js';
import { decodeController, decodeControllerEpoch, encodeController, encodeControllerEpoch } from '../../src/zk/codecs/controller.js';
import { decodeTopicAssignment, encodeTopicAssignment } from '../../src/zk/codecs/topic-assignment.js';
import { decodePartitionState, encodePartitionState, LeaderRecoveryState } from '../../src/zk/codecs/partition-state.js';
import {
  decodeConfigChangeNotification,
  decodeEntityConfig,
  encodeConfigChangeNotification,
  encodeEntityConfig,
} from '../../src/zk/codecs/entity-config.js';
import {
  decodeFeatureZNode,
  decodeIsrChangeNotification,
  decodeLogDirEvent,
  decodePreferredReplicaElection,
  decodeProducerIdBlock,
  decodeReassignPartitions,
  encodeFeatureZNode,
  encodeIsrChangeNotification,
  encodeLogDirEvent,
  encodePreferredReplicaElection,
  encodeProducerIdBlock,
  encodeReassignPartitions,
} from '../../src/zk/codecs/admin.js';
import { ZkDataFormatError } from '../../src/zk/codecs/json.js';
import { newTopicId, uuidFromBytes, uuidFromHyphenated, uuidToBytes, uuidToHyphenated } from '../../src/zk/codecs/uuid.js';
import { PERSISTENT_PATHS, sequenceNumber, ZkPaths } from '../../src/zk/paths.js';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const json = (buf: Buffer): unknown => JSON.parse(buf.toString('utf8'));

describe('cluster id', () => {
  test('decodes the reference example and writes version as a string', () => {
    assert.equal(decodeClusterId(b('{"version":"1","id":"Kx3BdqPtSt6a8VjVnW2hHg"}')), 'Kx3BdqPtSt6a8VjVnW2hHg');
    assert.deepEqual(json(encodeClusterId('Kx3BdqPtSt6a8VjVnW2hHg')), { version: '1', id: 'Kx3BdqPtSt6a8VjVnW2hHg' });
  });
});

describe('uuid', () => {
  test('new ids are 22-char URL-safe base64 of 16 bytes, version 4', () => {
    for (let i = 0; i < 50; i++) {
      const id = newTopicId();
      assert.match(id, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      const bytes = uuidToBytes(id);
      assert.equal(bytes.length, 16);
      assert.equal((bytes[6] ?? 0) >> 4, 4);
      assert.equal(uuidFromBytes(bytes), id);
    }
  });
  test('converts between hyphenated and base64 forms', () => {
    assert.equal(uuidFromHyphenated('00000000-0000-0000-0000-000000000001'), 'AAAAAAAAAAAAAAAAAAAAAQ');
    assert.equal(uuidToHyphenated('Q2Hc6eR3QsqVDkz0LpLqAQ'), '4361dce9-e477-42ca-950e-4cf42e92ea01');
    assert.equal(uuidFromHyphenated(uuidToHyphenated('Q2Hc6eR3QsqVDkz0LpLqAQ')), 'Q2Hc6eR3QsqVDkz0LpLqAQ');
    assert.throws(() => uuidToBytes('not-a-uuid'), /invalid Kafka UUID/);
  });
});

describe('broker registration', () => {
  const example =
    '{"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT","SSL":"SSL"},' +
    '"endpoints":["PLAINTEXT://kafka-1:9092","SSL://kafka-1:9093"],"jmx_port":-1,"host":"kafka-1",' +
    '"timestamp":"1700000000000","port":9092,"version":5,"rack":"az1"}';
  const registration: BrokerRegistration = {
    endpoints: [
      { listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'kafka-1', port: 9092 },
      { listener: 'SSL', securityProtocol: 'SSL', host: 'kafka-1', port: 9093 },
    ],
    rack: 'az1',
    jmxPort: -1,
    timestamp: 1_700_000_000_000,
    features: {},
  };

  test('decodes the reference v5 example', () => {
    assert.deepEqual(decodeBrokerRegistration(b(example)), { ...registration, version: 5 });
  });
  test('encodes v5 exactly as Kafka does (field set and types)', () => {
    assert.deepEqual(json(encodeBrokerRegistration(registration)), json(b(example)));
  });
  test('v4 has no features, and no rack when unset; host/port null/-1 without a PLAINTEXT endpoint', () => {
    const reg: BrokerRegistration = {
      ...registration,
      rack: null,
      endpoints: [{ listener: 'INTERNAL', securityProtocol: 'SASL_SSL', host: 'b1', port: 9094 }],
    };
    assert.deepEqual(json(encodeBrokerRegistration(reg, 4)), {
      version: 4, host: null, port: -1, endpoints: ['INTERNAL://b1:9094'], jmx_port: -1,
      timestamp: '1700000000000', listener_security_protocol_map: { INTERNAL: 'SASL_SSL' },
    });
    assert.deepEqual(decodeBrokerRegistration(encodeBrokerRegistration(reg, 4)), { ...reg, version: 4 });
  });
  test('decodes v2 (listener = protocol) and v1 (host/port only); brackets IPv6 hosts', () => {
    const v2 = decodeBrokerRegistration(b('{"version":2,"host":"h","port":9092,"jmx_port":9999,"timestamp":"5","endpoints":["PLAINTEXT://h:9092","SSL://[::1]:9093"]}'));
    assert.deepEqual(v2.endpoints, [
      { listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'h', port: 9092 },
      { listener: 'SSL', securityProtocol: 'SSL', host: '::1', port: 9093 },
    ]);
    assert.equal(v2.jmxPort, 9999);
    const v1 = decodeBrokerRegistration(b('{"version":1,"host":"old","port":9092,"jmx_port":-1}'));
    assert.deepEqual(v1.endpoints, [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: 'old', port: 9092 }]);
    const ipv6 = { ...registration, endpoints: [{ listener: 'PLAINTEXT', securityProtocol: 'PLAINTEXT', host: '::1', port: 1 }] };
    assert.deepEqual((json(encodeBrokerRegistration(ipv6)) as { endpoints: string[] }).endpoints, ['PLAINTEXT://[::1]:1']);
  });
  test('rejects malformed data clearly', () => {
    assert.throws(() => decodeBrokerRegistration(b('{nope')), (e: unknown) => e instanceof ZkDataFormatError && /not JSON/.test(e.message));
    assert.throws(() => decodeBrokerRegistration(b('{"version":9}')), /unsupported version 9/);
    assert.throws(() => decodeBrokerRegistration(b('{"version":5,"endpoints":["bogus"],"listener_security_protocol_map":{}}')), /bad endpoint/);
    assert.throws(() => decodeBrokerRegistration(null), /no data/);
  });
});

describe('controller and controller epoch', () => {
  test('/controller v1 both ways, v2 and bare ids accepted', () => {
    assert.deepEqual(decodeController(b('{"version":1,"brokerid":2,"timestamp":"1700000000000"}')), { brokerId: 2, timestamp: 1_700_000_000_000 });
    assert.deepEqual(json(encodeController(2, 1_700_000_000_000)), { version: 1, brokerid: 2, timestamp: '1700000000000' });
    assert.equal(decodeController(b('{"version":2,"brokerid":3,"timestamp":"1","kraftControllerEpoch":-1}')).brokerId, 3);
    assert.equal(decodeController(b('7')).brokerId, 7);
    assert.throws(() => decodeController(b('{"version":1}')), /brokerid/);
  });
  test('/controller_epoch is plain decimal text', () => {
    assert.equal(encodeControllerEpoch(7).toString(), '7');
    assert.equal(decodeControllerEpoch(b('7')), 7);
    assert.throws(() => decodeControllerEpoch(b('{"epoch":7}')), /decimal/);
  });
});

describe('topic assignment', () => {
  const example = '{"version":3,"partitions":{"0":[1,2,3],"1":[2,3,1]},"adding_replicas":{},"removing_replicas":{},"topic_id":"Q2Hc6eR3QsqVDkz0LpLqAQ"}';
  test('decodes the reference example and re-encodes the same JSON', () => {
    const a = decodeTopicAssignment(b(example));
    assert.equal(a.version, 3);
    assert.equal(a.topicId, 'Q2Hc6eR3QsqVDkz0LpLqAQ');
    assert.deepEqual([...a.partitions], [[0, [1, 2, 3]], [1, [2, 3, 1]]]);
    assert.equal(a.addingReplicas.size, 0);
    assert.deepEqual(json(encodeTopicAssignment(a)), json(b(example)));
  });
  test('decodes v1 and v2, encodes reassignment state and omits an unknown topic id', () => {
    const v1 = decodeTopicAssignment(b('{"version":1,"partitions":{"0":[5]}}'));
    assert.deepEqual({ ...v1, partitions: [...v1.partitions] }, { version: 1, partitions: [[0, [5]]], addingReplicas: new Map(), removingReplicas: new Map(), topicId: null });
    const v2 = decodeTopicAssignment(b('{"version":2,"partitions":{"0":[1,2]},"adding_replicas":{"0":[2]},"removing_replicas":{}}'));
    assert.deepEqual([...v2.addingReplicas], [[0, [2]]]);
    assert.deepEqual(json(encodeTopicAssignment(v2)), { version: 3, partitions: { 0: [1, 2] }, adding_replicas: { 0: [2] }, removing_replicas: {} });
  });
  test('rejects malformed assignments', () => {
    assert.throws(() => decodeTopicAssignment(b('{"version":3,"partitions":{"x":[1]}}')), /partition number/);
    assert.throws(() => decodeTopicAssignment(b('{"version":3,"partitions":{"0":["a"]}}')), /array of integers/);
    assert.throws(() => decodeTopicAssignment(b('{"version":3,"partitions":{},"topic_id":"short"}')), /topic_id/);
  });
});

describe('partition state', () => {
  test('decodes the reference example; encodes without leader_recovery_state when recovered', () => {
    const text = '{"controller_epoch":5,"leader":1,"version":1,"leader_epoch":12,"isr":[1,3]}';
    const state = decodePartitionState(b(text));
    assert.deepEqual(state, { leader: 1, leaderEpoch: 12, isr: [1, 3], controllerEpoch: 5, leaderRecoveryState: 0 });
    assert.deepEqual(json(encodePartitionState(state)), json(b(text)));
  });
  test('writes and reads leader_recovery_state 1', () => {
    const s = { leader: -1, leaderEpoch: 0, isr: [2], controllerEpoch: 1, leaderRecoveryState: LeaderRecoveryState.RECOVERING };
    assert.equal((json(encodePartitionState(s)) as Record<string, unknown>)['leader_recovery_state'], 1);
    assert.deepEqual(decodePartitionState(encodePartitionState(s)), s);
    assert.throws(() => decodePartitionState(b('{"version":1,"leader":1,"leader_epoch":0,"controller_epoch":1,"isr":[1],"leader_recovery_state":7}')), /0 or 1/);
  });
});

describe('configs and change notifications', () => {
  test('entity config: all values strings; empty data reads as empty', () => {
    assert.deepEqual(json(encodeEntityConfig({ 'retention.ms': '86400000' })), { version: 1, config: { 'retention.ms': '86400000' } });
    assert.deepEqual(decodeEntityConfig(b('{"version":1,"config":{"retention.ms":"86400000"}}')), { 'retention.ms': '86400000' });
    assert.deepEqual(decodeEntityConfig(null), {});
    assert.throws(() => decodeEntityConfig(b('{"version":1,"config":{"retention.ms":5}}')), /must be a string/);
  });
  test('change notification v2 both ways, v1 decoded', () => {
    assert.deepEqual(json(encodeConfigChangeNotification('topics/my-topic')), { version: 2, entity_path: 'topics/my-topic' });
    assert.equal(decodeConfigChangeNotification(b('{"version":2,"entity_path":"users/alice/clients/app1"}')), 'users/alice/clients/app1');
    assert.equal(decodeConfigChangeNotification(b('{"version":1,"entity_type":"topics","entity_name":"t"}')), 'topics/t');
  });
});

describe('admin and notification nodes', () => {
  test('preferred election, ISR change, reassignment', () => {
    const prefer = '{"version":1,"partitions":[{"topic":"foo","partition":0}]}';
    assert.deepEqual(decodePreferredReplicaElection(b(prefer)), [{ topic: 'foo', partition: 0 }]);
    assert.deepEqual(json(encodePreferredReplicaElection([{ topic: 'foo', partition: 0 }])), json(b(prefer)));
    assert.deepEqual(decodeIsrChangeNotification(encodeIsrChangeNotification([{ topic: 'a', partition: 3 }])), [{ topic: 'a', partition: 3 }]);
    const reassign = '{"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[4,5,6]}]}';
    assert.deepEqual(decodeReassignPartitions(b(reassign)), [{ topic: 'foo', partition: 0, replicas: [4, 5, 6] }]);
    assert.deepEqual(json(encodeReassignPartitions([{ topic: 'foo', partition: 0, replicas: [4, 5, 6] }])), json(b(reassign)));
    assert.throws(() => decodePreferredReplicaElection(b('{"version":1,"partitions":[{"topic":"foo"}]}')), /partition/);
  });
  test('log dir event, producer id block, feature', () => {
    assert.deepEqual(decodeLogDirEvent(b('{"version":1,"broker":3,"event":1}')), { brokerId: 3, event: 1 });
    assert.deepEqual(json(encodeLogDirEvent(3)), { version: 1, broker: 3, event: 1 });
    const block = '{"version":1,"broker":2,"block_start":"3000","block_end":"3999"}';
    assert.deepEqual(decodeProducerIdBlock(b(block)), { brokerId: 2, blockStart: 3000, blockEnd: 3999 });
    assert.deepEqual(json(encodeProducerIdBlock({ brokerId: 2, blockStart: 3000, blockEnd: 3999 })), json(b(block)));
    assert.deepEqual(decodeFeatureZNode(b('{"features":{},"version":2,"status":1}')), { version: 2, status: 1 });
    assert.deepEqual(json(encodeFeatureZNode()), { version: 1, status: 1, features: {} });
  });
});

describe('paths', () => {
  test('parametrised paths and the persistent set', () => {
    assert.equal(ZkPaths.partitionState('t', 3), '/brokers/topics/t/partitions/3/state');
    assert.equal(ZkPaths.configEntity('brokers', '<default>'), '/config/brokers/<default>');
    assert.deepEqual([...PERSISTENT_PATHS].sort(), [
      '/admin/delete_topics', '/brokers/ids', '/brokers/seqid', '/brokers/topics', '/config/brokers', '/config/changes',
      '/config/clients', '/config/ips', '/config/topics', '/config/users', '/consumers', '/isr_change_notification',
      '/latest_producer_id_block', '/log_dir_event_notification',
    ]);
    assert.equal(sequenceNumber('config_change_0000000042', 'config_change_'), 42);
  });
});
