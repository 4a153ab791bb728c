import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { configFromEnv, configNameToEnvVar, envVarToConfigName } from '../../src/config/env.js';

describe('environment variables', () => {
  test('Confluent spelling: drop KAFKA_, lower-case, ___ -> -, __ -> _, _ -> .', () => {
    assert.equal(envVarToConfigName('KAFKA_ZOOKEEPER_CONNECT'), 'zookeeper.connect');
    assert.equal(envVarToConfigName('KAFKA_ADVERTISED_LISTENERS'), 'advertised.listeners');
    assert.equal(envVarToConfigName('KAFKA_LOG_DIRS'), 'log.dirs');
    assert.equal(envVarToConfigName('KAFKA_SOME__UNDERSCORE'), 'some_underscore');
    assert.equal(envVarToConfigName('KAFKA_SOME___DASH_NAME'), 'some-dash.name');
    assert.equal(envVarToConfigName('KAFKA_STREAMKEEPER_CLUSTER_SECRET'), 'streamkeeper.cluster.secret');
  });

  test('non-config and non-KAFKA variables are ignored', () => {
    for (const v of ['KAFKA_HEAP_OPTS', 'KAFKA_JMX_OPTS', 'KAFKA_OPTS', 'KAFKA_LOG4J_OPTS', 'KAFKA_VERSION', 'KAFKA_HOME', 'KAFKA_', 'PATH', 'kafka_broker_id']) {
      assert.equal(envVarToConfigName(v), undefined, v);
    }
  });

  test('configNameToEnvVar is the inverse', () => {
    for (const name of ['zookeeper.connect', 'a_b-c.d', 'listener.security.protocol.map']) {
      assert.equal(envVarToConfigName(configNameToEnvVar(name)), name, name);
    }
    assert.equal(configNameToEnvVar('broker.id'), 'KAFKA_BROKER_ID');
  });

  test('configFromEnv collects settings and maps the log4j root level', () => {
    const settings = configFromEnv({
      KAFKA_BROKER_ID: '2',
      KAFKA_HEAP_OPTS: '-Xmx1G',
      KAFKA_LOG4J_ROOT_LOGLEVEL: 'TRACE',
      HOME: '/root',
      KAFKA_NUM_PARTITIONS: undefined,
    });
    assert.deepEqual(settings, [
      { name: 'broker.id', value: '2', variable: 'KAFKA_BROKER_ID' },
      { name: 'streamkeeper.log.level', value: 'debug', variable: 'KAFKA_LOG4J_ROOT_LOGLEVEL' },
    ]);
    const explicit = configFromEnv({ KAFKA_LOG4J_ROOT_LOGLEVEL: 'WARN', KAFKA_STREAMKEEPER_LOG_LEVEL: 'error' });
    assert.deepEqual(explicit, [{ name: 'streamkeeper.log.level', value: 'error', variable: 'KAFKA_STREAMKEEPER_LOG_LEVEL' }]);
  });
});
