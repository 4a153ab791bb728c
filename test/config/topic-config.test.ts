import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from '../../src/config/broker-config.js';
import { ConfigError } from '../../src/config/config-error.js';
import { isBrokerConfigName } from '../../src/config/definitions.js';
import {
  formatConfigValue,
  parseTopicConfigs,
  resolveTopicConfig,
  TOPIC_CONFIG_DEFINITIONS,
  TOPIC_CONFIG_NAMES,
  validateTopicConfigs,
} from '../../src/config/topic-config.js';

const ZK = { 'zookeeper.connect': '127.0.0.1:2181' };

describe('validateTopicConfigs', () => {
  test('accepts valid configs', () => {
    validateTopicConfigs({ 'cleanup.policy': 'compact,delete', 'retention.ms': '-1', 'segment.bytes': '1048576', 'min.cleanable.dirty.ratio': '0.1' });
    assert.deepEqual(parseTopicConfigs({ 'cleanup.policy': 'compact', 'retention.ms': '1000', 'unclean.leader.election.enable': 'TRUE' }), {
      'cleanup.policy': ['compact'],
      'retention.ms': 1000,
      'unclean.leader.election.enable': true,
    });
  });

  test('rejects unknown names and invalid values with INVALID_CONFIG', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ 'retention.hours': '1' }, 'retention.hours', /Unknown topic config name: retention.hours/],
      [{ 'cleanup.policy': 'compact,forget' }, 'cleanup.policy', /forget/],
      [{ 'segment.bytes': '13' }, 'segment.bytes', /at least 14/],
      [{ 'retention.ms': '-2' }, 'retention.ms', /at least -1/],
      [{ 'min.insync.replicas': '0' }, 'min.insync.replicas', /at least 1/],
      [{ 'min.cleanable.dirty.ratio': '2' }, 'min.cleanable.dirty.ratio', /between 0 and 1/],
      [{ 'compression.type': 'brotli' }, 'compression.type', /producer/],
      [{ 'message.timestamp.type': 'Now' }, 'message.timestamp.type', /LogAppendTime/],
      [{ 'max.message.bytes': 'big' }, 'max.message.bytes', /INT/],
    ];
    for (const [configs, key, pattern] of cases) {
      assert.throws(() => validateTopicConfigs(configs), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.kafkaError, 'INVALID_CONFIG');
        assert.equal(err.key, key);
        assert.match(err.message, pattern);
        return true;
      }, key);
    }
  });

  test('every topic config has a parseable default and real broker synonyms', () => {
    for (const name of TOPIC_CONFIG_NAMES) {
      const d = TOPIC_CONFIG_DEFINITIONS[name];
      validateTopicConfigs({ [name]: d.default });
      for (const syn of d.brokerSynonyms) assert.ok(isBrokerConfigName(syn), `${name} <- ${syn}`);
    }
  });
});

describe('resolveTopicConfig', () => {
  test('defaults come from the broker with Kafka fallbacks', () => {
    const { values } = resolveTopicConfig(BrokerConfig.of(ZK), {});
    assert.equal(values['retention.ms'], 604_800_000);
    assert.equal(values['segment.ms'], 604_800_000);
    assert.equal(values['segment.bytes'], 1_073_741_824);
    assert.equal(values['max.message.bytes'], 1_048_588);
    assert.deepEqual(values['cleanup.policy'], ['delete']);
    assert.equal(values['flush.ms'], Number.MAX_SAFE_INTEGER);
    assert.equal(values['segment.jitter.ms'], 0);
    assert.equal(values['min.insync.replicas'], 1);
    assert.equal(values['delete.retention.ms'], 86_400_000);
    assert.equal(values['file.delete.delay.ms'], 60_000);
    assert.deepEqual(values['leader.replication.throttled.replicas'], []);
  });

  test('precedence: topic override > static broker config > default', () => {
    const broker = BrokerConfig.of({
      ...ZK,
      'log.retention.minutes': '10',
      'log.segment.bytes': '2048',
      'message.max.bytes': '5000',
      'log.roll.jitter.hours': '1',
      'log.flush.interval.ms': '100',
    });
    const resolved = resolveTopicConfig(broker, { 'segment.bytes': '4096', 'cleanup.policy': 'compact' });
    assert.equal(resolved.values['retention.ms'], 600_000);
    assert.equal(resolved.values['segment.bytes'], 4096);
    assert.equal(resolved.values['max.message.bytes'], 5000);
    assert.equal(resolved.values['segment.jitter.ms'], 3_600_000);
    assert.equal(resolved.values['flush.ms'], 100);
    assert.deepEqual(resolved.values['cleanup.policy'], ['compact']);

    const rows = new Map(resolved.describe().map((r) => [r.name, r]));
    assert.equal(rows.size, TOPIC_CONFIG_NAMES.length);
    assert.deepEqual(rows.get('segment.bytes'), {
      name: 'segment.bytes',
      value: '4096',
      source: 'TOPIC_CONFIG',
      isDefault: false,
      sensitive: false,
      readOnly: false,
      type: 'int',
      documentation: TOPIC_CONFIG_DEFINITIONS['segment.bytes'].doc,
      synonyms: [
        { name: 'segment.bytes', value: '4096', source: 'TOPIC_CONFIG' },
        { name: 'log.segment.bytes', value: '2048', source: 'STATIC_BROKER_CONFIG' },
      ],
    });
    const retention = rows.get('retention.ms');
    assert.equal(retention?.value, '600000');
    assert.equal(retention?.source, 'STATIC_BROKER_CONFIG');
    assert.deepEqual(retention?.synonyms, [
      { name: 'log.retention.minutes', value: '10', source: 'STATIC_BROKER_CONFIG' },
      { name: 'log.retention.hours', value: '168', source: 'DEFAULT_CONFIG' },
    ]);
    const flushMessages = rows.get('flush.messages');
    assert.equal(flushMessages?.source, 'DEFAULT_CONFIG');
    assert.equal(flushMessages?.isDefault, true);
    assert.equal(flushMessages?.value, '9223372036854775807');
    assert.equal(rows.get('cleanup.policy')?.value, 'compact');
  });

  test('invalid overrides throw before resolving', () => {
    assert.throws(() => resolveTopicConfig(BrokerConfig.of(ZK), { 'segment.ms': '0' }), ConfigError);
  });

  test('formatConfigValue', () => {
    assert.equal(formatConfigValue('list', ['compact', 'delete']), 'compact,delete');
    assert.equal(formatConfigValue('double', 0.5), '0.5');
    assert.equal(formatConfigValue('long', Number.MAX_SAFE_INTEGER), '9223372036854775807');
    assert.equal(formatConfigValue('boolean', false), 'false');
  });
});
