import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokerProperties, ClusterLayout } from '../../src/cli/cluster-layout.js';
import { BrokerConfig } from '../../src/config/broker-config.js';

describe('ClusterLayout', () => {
  test('paths, state and broker ids on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'sk-layout-'));
    const layout = new ClusterLayout(root);
    assert.equal(layout.brokerConfig(2), join(root, 'broker-2', 'server.properties'));
    assert.equal(layout.brokerLog(2), join(root, 'broker-2', 'broker.log'));
    assert.equal(layout.brokerPidFile(2), join(root, 'broker-2', 'broker.pid'));
    assert.equal(layout.zookeeperPidFile, join(root, 'zookeeper', 'zookeeper.pid'));
    assert.equal(layout.readState(), undefined);
    const state = { brokers: [{ id: 1, port: 9092 }], zookeeperConnect: '127.0.0.1:2181', managedZookeeper: true };
    layout.writeState(state);
    assert.deepEqual(layout.readState(), state);
    for (const d of ['broker-10', 'broker-2', 'zookeeper', 'broker-x']) mkdirSync(join(root, d));
    assert.deepEqual(layout.brokerIdsOnDisk(), [2, 10]);
  });

  test('the cluster secret is generated once, private, and reused', () => {
    const layout = new ClusterLayout(mkdtempSync(join(tmpdir(), 'sk-layout-')));
    const secret = layout.clusterSecret();
    assert.match(secret, /^[0-9a-f]{64}$/);
    assert.equal(statSync(layout.secretFile).mode & 0o777, 0o600);
    assert.equal(layout.clusterSecret(), secret);
    assert.notEqual(new ClusterLayout(mkdtempSync(join(tmpdir(), 'sk-layout-'))).clusterSecret(), secret);
  });
});

describe('brokerProperties', () => {
  test('a valid broker config listening and advertising on 127.0.0.1', () => {
    const props = brokerProperties({ id: 2, port: 9093, brokerCount: 2, logDirs: '/d/broker-2/logs', zookeeperConnect: '127.0.0.1:2181', clusterSecret: 's' });
    const config = BrokerConfig.of(Object.fromEntries(props));
    assert.equal(config.brokerId, 2);
    assert.deepEqual(config.listeners, [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9093, securityProtocol: 'PLAINTEXT' }]);
    assert.deepEqual(config.advertisedListeners, config.listeners);
    assert.deepEqual(config.logDirs, ['/d/broker-2/logs']);
    assert.equal(config.clusterSecret, 's');
    assert.equal(config.get('offsets.topic.replication.factor'), 2);
    assert.equal(config.get('transaction.state.log.min.isr'), 2);
  });

  test('internal topics never ask for more replicas than brokers, capped at Kafka defaults', () => {
    const one = Object.fromEntries(brokerProperties({ id: 1, port: 1, brokerCount: 1, logDirs: '/l', zookeeperConnect: 'z:1', clusterSecret: 's' }));
    assert.equal(one['offsets.topic.replication.factor'], '1');
    assert.equal(one['transaction.state.log.min.isr'], '1');
    const five = Object.fromEntries(brokerProperties({ id: 1, port: 1, brokerCount: 5, logDirs: '/l', zookeeperConnect: 'z:1', clusterSecret: 's' }));
    assert.equal(five['offsets.topic.replication.factor'], '3');
    assert.equal(five['transaction.state.log.min.isr'], '2');
  });
});
