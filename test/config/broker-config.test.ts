import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerConfig } from '../../src/config/broker-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { CONFIG_SOURCE } from '../../src/config/config-source.js';
import { def, matching, parseConfigValue } from '../../src/config/config-types.js';
import { brokerConfigDefinitions, BROKER_CONFIG_DEFINITIONS } from '../../src/config/definitions.js';
import type { ValueOf } from '../../src/config/definitions.js';
import { loadBrokerConfig, parseOverride } from '../../src/config/load-broker-config.js';

const ZK = { 'zookeeper.connect': '127.0.0.1:2181' };

function configError(key: string | undefined, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.equal(err.kafkaError, 'INVALID_CONFIG');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('defaults', () => {
  test('Kafka defaults', () => {
    const c = BrokerConfig.of(ZK, { hostname: 'host-a' });
    assert.equal(c.get('broker.id'), -1);
    assert.equal(c.get('zookeeper.session.timeout.ms'), 18000);
    assert.equal(c.get('zookeeper.connection.timeout.ms'), null);
    assert.equal(c.zookeeperConnectionTimeoutMs, 18000);
    assert.equal(c.get('num.partitions'), 1);
    assert.equal(c.get('default.replication.factor'), 1);
    assert.equal(c.get('auto.create.topics.enable'), true);
    assert.equal(c.get('unclean.leader.election.enable'), false);
    assert.equal(c.get('message.max.bytes'), 1048588);
    assert.equal(c.get('socket.request.max.bytes'), 104857600);
    assert.equal(c.get('replica.lag.time.max.ms'), 30000);
    assert.equal(c.get('offsets.topic.num.partitions'), 50);
    assert.equal(c.get('offsets.topic.replication.factor'), 3);
    assert.equal(c.get('offsets.retention.minutes'), 10080);
    assert.equal(c.get('group.initial.rebalance.delay.ms'), 3000);
    assert.equal(c.get('group.max.size'), 2147483647);
    assert.deepEqual(c.get('log.cleanup.policy'), ['delete']);
    assert.equal(c.get('log.cleaner.min.cleanable.ratio'), 0.5);
    assert.equal(c.get('log.flush.interval.messages'), Number.MAX_SAFE_INTEGER);
    assert.equal(c.get('streamkeeper.log.level'), 'info');
    assert.equal(c.get('streamkeeper.metrics.port'), -1);
    assert.equal(c.clusterSecret, null);
    assert.equal(c.logLevel, 'info');
    assert.deepEqual(c.logDirs, ['/tmp/kafka-logs']);
    assert.equal(c.logRetentionMs, 168 * 3_600_000);
    assert.equal(c.logRollMs, 168 * 3_600_000);
    assert.deepEqual(c.listeners, [{ name: 'PLAINTEXT', host: '', port: 9092, securityProtocol: 'PLAINTEXT' }]);
    assert.deepEqual(c.advertisedListeners, [{ name: 'PLAINTEXT', host: 'host-a', port: 9092, securityProtocol: 'PLAINTEXT' }]);
    assert.equal(c.interBrokerListenerName, 'PLAINTEXT');
  });

  test('every definition has a parseable default, a doc and consistent flags', () => {
    const c = BrokerConfig.of(ZK);
    for (const d of brokerConfigDefinitions()) {
      assert.ok(d.doc.length > 0, d.name);
      assert.equal(d.sensitive, d.type === 'password', d.name);
      if (d.default === null && !d.required) assert.equal(c.get(d.name), null, d.name);
      else assert.notEqual(c.get(d.name), null, d.name);
    }
    assert.equal(BROKER_CONFIG_DEFINITIONS['zookeeper.connect'].required, true);
  });

  test('typed access narrows value types', () => {
    const c = BrokerConfig.of(ZK);
    const rack: ValueOf<'broker.rack'> = c.get('broker.rack');
    const zk: string = c.get('zookeeper.connect');
    const parts: number = c.get('num.partitions');
    const policy: readonly string[] = c.get('log.cleanup.policy');
    assert.deepEqual([rack, zk, parts, policy], [null, '127.0.0.1:2181', 1, ['delete']]);
  });
});

describe('validation', () => {
  test('missing zookeeper.connect', () => {
    assert.throws(() => BrokerConfig.of({}), configError('zookeeper.connect', /Missing required configuration "zookeeper.connect"/));
  });

  test('Kafka cleaner and offsets-topic keys that do not act yet still load, with their defaults', () => {
    const c = BrokerConfig.of({ ...ZK, 'log.cleaner.dedupe.buffer.size': '1000', 'log.cleaner.io.max.bytes.per.second': '1e6', 'offsets.topic.compression.codec': '0' });
    assert.deepEqual(
      [c.get('log.cleaner.dedupe.buffer.size'), c.get('log.cleaner.io.max.bytes.per.second'), c.get('log.cleaner.io.buffer.size'), c.get('log.cleaner.io.buffer.load.factor')],
      [1000, 1e6, 524288, 0.9],
    );
  });

  test('unknown key names the key', () => {
    assert.throws(() => BrokerConfig.of({ ...ZK, 'no.such.key': '1' }), configError('no.such.key', /Unknown configuration 'no.such.key'/));
  });

  test('invalid values name the key and the problem', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ 'num.partitions': 'many' }, 'num.partitions', /Invalid value many for configuration num.partitions: Not a number of type INT/],
      [{ 'num.partitions': '0' }, 'num.partitions', /Value must be at least 1/],
      [{ 'num.partitions': '2147483648' }, 'num.partitions', /Not a number of type INT/],
      [{ 'offsets.topic.replication.factor': '40000' }, 'offsets.topic.replication.factor', /SHORT/],
      [{ 'log.retention.ms': '9223372036854775808' }, 'log.retention.ms', /LONG/],
      [{ 'auto.create.topics.enable': 'yes' }, 'auto.create.topics.enable', /either true or false/],
      [{ 'log.cleaner.min.cleanable.ratio': '1.5' }, 'log.cleaner.min.cleanable.ratio', /between 0 and 1/],
      [{ 'log.cleaner.min.cleanable.ratio': 'half' }, 'log.cleaner.min.cleanable.ratio', /DOUBLE/],
      [{ 'log.cleanup.policy': 'delete,shred' }, 'log.cleanup.policy', /shred.*compact, delete/],
      [{ 'log.message.timestamp.type': 'WallTime' }, 'log.message.timestamp.type', /CreateTime, LogAppendTime/],
      [{ 'streamkeeper.log.level': 'verbose' }, 'streamkeeper.log.level', /error, warn, info, debug/],
      [{ 'zookeeper.connect': 'a:1,,b:2' }, 'zookeeper.connect', /host:port/],
      [{ 'inter.broker.protocol.version': 'latest' }, 'inter.broker.protocol.version', /Kafka version/],
      [{ listeners: 'PLAINTEXT:9092' }, 'listeners', /not NAME:\/\/host:port/],
      [{ listeners: 'FOO://:9092' }, 'listeners', /FOO is not defined in listener.security.protocol.map/],
      [{ listeners: 'PLAINTEXT://:9092,SSL://:9092' }, 'listeners', /port 9092 is used by more than one listener/],
      [{ listeners: 'PLAINTEXT://:70000' }, 'listeners', /out of range/],
      [{ 'listener.security.protocol.map': 'A:TLS' }, 'listener.security.protocol.map', /NAME:PROTOCOL/],
      [{ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' }, 'advertised.listeners', /nonroutable meta-address 0.0.0.0/],
      [{ listeners: 'PLAINTEXT://0.0.0.0:9092' }, 'listeners', /nonroutable/],
      [{ 'advertised.listeners': 'SSL://h:9093' }, 'advertised.listeners', /SSL is not defined in listeners/],
      [{ 'broker.id': '1001' }, 'broker.id', /reserved.broker.max.id/],
      [{ 'broker.id': '-1', 'broker.id.generation.enable': 'false' }, 'broker.id', /at least 0/],
      [{ 'inter.broker.listener.name': 'PLAINTEXT', 'security.inter.broker.protocol': 'PLAINTEXT' }, 'inter.broker.listener.name', /Only one of/],
      [{ 'inter.broker.listener.name': 'INTERNAL' }, 'inter.broker.listener.name', /INTERNAL must be one of the advertised listeners/],
      [{ 'log.dirs': ' , ' }, 'log.dirs', /at least one directory/],
    ];
    for (const [values, key, pattern] of cases) {
      assert.throws(() => BrokerConfig.of({ ...ZK, ...values }, { hostname: 'h' }), configError(key, pattern), JSON.stringify(values));
    }
  });

  test('a sensitive value is never echoed in errors', () => {
    const secretDef = def('password', null, 'high', 'a secret', { validator: matching(/^k-/, 'starting with k-') });
    assert.equal(parseConfigValue('my.secret', secretDef, 'k-1'), 'k-1');
    assert.throws(() => parseConfigValue('my.secret', secretDef, 'hunter2'), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, 'Invalid value [hidden] for configuration my.secret: Value must be starting with k-');
      return true;
    });
  });
});

describe('resolved getters', () => {
  test('retention precedence: ms > minutes > hours; negative means unlimited', () => {
    assert.equal(BrokerConfig.of({ ...ZK, 'log.retention.hours': '1' }).logRetentionMs, 3_600_000);
    assert.equal(BrokerConfig.of({ ...ZK, 'log.retention.hours': '1', 'log.retention.minutes': '2' }).logRetentionMs, 120_000);
    assert.equal(
      BrokerConfig.of({ ...ZK, 'log.retention.hours': '1', 'log.retention.minutes': '2', 'log.retention.ms': '5' }).logRetentionMs,
      5,
    );
    assert.equal(BrokerConfig.of({ ...ZK, 'log.retention.ms': '-1' }).logRetentionMs, -1);
    assert.equal(BrokerConfig.of({ ...ZK, 'log.retention.minutes': '-5' }).logRetentionMs, -1);
    assert.equal(BrokerConfig.of({ ...ZK, 'log.retention.hours': '-1' }).logRetentionMs, -1);
  });

  test('roll: ms > hours', () => {
    assert.equal(BrokerConfig.of({ ...ZK, 'log.roll.hours': '2' }).logRollMs, 7_200_000);
    assert.equal(BrokerConfig.of({ ...ZK, 'log.roll.hours': '2', 'log.roll.ms': '1000' }).logRollMs, 1000);
  });

  test('log.dirs wins over log.dir and is split on commas', () => {
    assert.deepEqual(BrokerConfig.of({ ...ZK, 'log.dir': '/a' }).logDirs, ['/a']);
    assert.deepEqual(BrokerConfig.of({ ...ZK, 'log.dir': '/a', 'log.dirs': '/b, /c' }).logDirs, ['/b', '/c']);
  });

  test('listeners, advertised listeners and the inter-broker listener', () => {
    const c = BrokerConfig.of(
      {
        ...ZK,
        listeners: 'internal://:9093, EXTERNAL://[::1]:9094,PLAINTEXT://127.0.0.1:9092',
        'advertised.listeners': 'INTERNAL://:9093,EXTERNAL://[::1]:19094',
        'listener.security.protocol.map': 'INTERNAL:PLAINTEXT,EXTERNAL:plaintext,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name': 'internal',
      },
      { hostname: 'broker-7' },
    );
    assert.deepEqual(c.listeners, [
      { name: 'INTERNAL', host: '', port: 9093, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: '::1', port: 9094, securityProtocol: 'PLAINTEXT' },
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' },
    ]);
    assert.deepEqual(c.advertisedListeners, [
      { name: 'INTERNAL', host: 'broker-7', port: 9093, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: '::1', port: 19094, securityProtocol: 'PLAINTEXT' },
    ]);
    assert.equal(c.interBrokerListenerName, 'INTERNAL');
    // The default listener list is not modified by advertising it.
    assert.equal(c.listeners[0]?.host, '');
  });
});

describe('describe()', () => {
  test('sources, sensitivity and readOnly', () => {
    const c = BrokerConfig.of({ ...ZK, 'num.partitions': ' 3 ', 'streamkeeper.cluster.secret': 's3cret' });
    const rows = new Map(c.describe().map((r) => [r.name, r]));
    assert.equal(rows.size, brokerConfigDefinitions().length);
    assert.deepEqual(rows.get('num.partitions'), {
      name: 'num.partitions',
      value: '3',
      source: 'STATIC_BROKER_CONFIG',
      isDefault: false,
      sensitive: false,
      readOnly: true,
      type: 'int',
      documentation: BROKER_CONFIG_DEFINITIONS['num.partitions'].doc,
    });
    assert.equal(rows.get('log.retention.hours')?.source, 'DEFAULT_CONFIG');
    assert.equal(rows.get('log.retention.hours')?.value, '168');
    assert.equal(rows.get('log.retention.ms')?.value, null);
    assert.equal(rows.get('log.retention.ms')?.readOnly, false);
    const secret = rows.get('streamkeeper.cluster.secret');
    assert.equal(secret?.value, null);
    assert.equal(secret?.sensitive, true);
    assert.equal(secret?.source, 'STATIC_BROKER_CONFIG');
    assert.equal(c.get('streamkeeper.cluster.secret'), 's3cret');
    assert.equal(CONFIG_SOURCE[rows.get('num.partitions')?.source ?? 'UNKNOWN'], 4);
    assert.equal(CONFIG_SOURCE.DEFAULT_CONFIG, 5);
  });
});

describe('loadBrokerConfig', () => {
  test('precedence: file < environment < overrides, with origins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-config-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, ['zookeeper.connect=zk-file:2181', 'num.partitions=2', 'broker.id=1', 'log.dirs=/file'].join('\n'));
    const c = loadBrokerConfig({
      file,
      env: { KAFKA_NUM_PARTITIONS: '4', KAFKA_BROKER_ID: '5', KAFKA_HEAP_OPTS: '-Xmx1G' },
      overrides: ['broker.id=7', 'advertised.listeners=PLAINTEXT://host:1'],
      hostname: 'unused',
    });
    assert.equal(c.zookeeperConnect, 'zk-file:2181');
    assert.equal(c.get('num.partitions'), 4);
    assert.equal(c.brokerId, 7);
    assert.equal(c.advertisedListeners[0]?.host, 'host');
    assert.equal(c.originOf('zookeeper.connect'), 'file');
    assert.equal(c.originOf('num.partitions'), 'env');
    assert.equal(c.originOf('broker.id'), 'override');
    assert.equal(c.originOf('num.io.threads'), undefined);
    assert.equal(c.sourceOf('num.partitions'), 'STATIC_BROKER_CONFIG');
  });

  test('an unknown key says where it came from', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-config-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'zookeeper.connect=z:1\n\nbogus.key=1\n');
    assert.throws(() => loadBrokerConfig({ file }), configError('bogus.key', /Unknown configuration 'bogus.key' \(in .*server.properties:3\)/));
    assert.throws(
      () => loadBrokerConfig({ env: { KAFKA_ZOOKEEPER_CONNECT: 'z:1', KAFKA_BOGUS: 'x' } }),
      configError('bogus', /from environment variable KAFKA_BOGUS/),
    );
    assert.throws(() => loadBrokerConfig({ overrides: ['zookeeper.connect=z:1', 'bogus=1'] }), configError('bogus', /--override bogus/));
  });

  test('overrides must be key=value; values may contain =', () => {
    assert.deepEqual(parseOverride('a.b=c=d'), ['a.b', 'c=d']);
    assert.deepEqual(parseOverride('a='), ['a', '']);
    assert.throws(() => parseOverride('novalue'), configError(undefined, /expected key=value/));
    assert.throws(() => parseOverride('=x'), configError(undefined, /expected key=value/));
  });
});
