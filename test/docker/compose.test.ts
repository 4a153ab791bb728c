import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBrokerConfig } from '../../src/config/load-broker-config.js';
import { DEFAULT_BROKER_NODE_FLAGS } from '../../src/cli/broker-node-flags.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMPOSE_FILE = 'docker/docker-compose.yml';

/** `docker-compose config` (Debian's docker-compose, installed by scripts/setup.sh); needs no container engine. */
function composeConfig(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('docker-compose', ['-f', COMPOSE_FILE, 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** YAML -> JSON with PyYAML, which Debian's docker-compose depends on. */
function parseYaml(text: string): unknown {
  const r = spawnSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {
    input: text,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  ports?: { published: number; target: number }[];
  volumes?: string[];
}

describe('docker/docker-compose.yml', () => {
  test('docker-compose config accepts it: ZooKeeper and three brokers wired by environment', () => {
    const r = composeConfig({ STREAMKEEPER_CLUSTER_SECRET: 'test-secret' });
    assert.equal(r.status, 0, r.stderr);
    const config = parseYaml(r.stdout) as { services: Record<string, ComposeService> };
    assert.deepEqual(Object.keys(config.services).sort(), ['broker-1', 'broker-2', 'broker-3', 'zookeeper']);
    assert.equal(config.services['zookeeper']?.image, 'zookeeper:3.8');

    for (const id of [1, 2, 3]) {
      const broker = config.services[`broker-${id}`];
      assert.ok(broker !== undefined);
      assert.deepEqual(broker.build, { context: ROOT.replace(/\/$/, ''), dockerfile: 'docker/Dockerfile' });
      const env = broker.environment ?? {};
      assert.equal(env['KAFKA_BROKER_ID'], String(id));
      assert.equal(env['KAFKA_ZOOKEEPER_CONNECT'], 'zookeeper:2181');
      assert.equal(env['KAFKA_STREAMKEEPER_CLUSTER_SECRET'], 'test-secret');
      assert.equal(env['KAFKA_ADVERTISED_LISTENERS'], `INTERNAL://broker-${id}:9092,EXTERNAL://localhost:${9091 + id}`);
      assert.deepEqual(broker.ports, [{ published: 9091 + id, target: 19092 }]);
      const dependsOn = Array.isArray(broker.depends_on) ? broker.depends_on : Object.keys(broker.depends_on ?? {});
      assert.deepEqual(dependsOn, ['zookeeper']);
      assert.ok(broker.volumes?.some((v) => v.startsWith(`broker-${id}-data:/var/lib/streamkeeper`)), String(broker.volumes));

      // The image's server.properties plus this environment is a valid Streamkeeper configuration.
      const brokerConfig = loadBrokerConfig({ file: `${ROOT}docker/server.properties`, env, hostname: `broker-${id}` });
      assert.equal(brokerConfig.brokerId, id);
      assert.equal(brokerConfig.zookeeperConnect, 'zookeeper:2181');
      assert.equal(brokerConfig.interBrokerListenerName, 'INTERNAL');
      assert.deepEqual(brokerConfig.logDirs, ['/var/lib/streamkeeper/logs']);
      assert.deepEqual(
        brokerConfig.listeners.map((l) => `${l.name}:${l.host}:${l.port}`),
        ['INTERNAL::9092', 'EXTERNAL::19092'],
      );
      assert.equal(brokerConfig.clusterSecret, 'test-secret');
    }
  });

  test('the cluster secret must be provided', () => {
    const r = composeConfig({});
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /set STREAMKEEPER_CLUSTER_SECRET/);
  });
});

describe('docker/Dockerfile', () => {
  const lines = readFileSync(`${ROOT}docker/Dockerfile`, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const fromIndexes = lines.flatMap((l, i) => (/^FROM\s/i.test(l) ? [i] : []));
  const runtime = lines.slice(fromIndexes.at(-1) ?? 0);

  test('multi-stage build on node:20-bookworm-slim', () => {
    const froms = lines.filter((l) => /^FROM\s/i.test(l));
    assert.ok(froms.length >= 2, 'a build stage and a runtime stage');
    for (const f of froms) assert.match(f, /^FROM node:20-bookworm-slim\b/);
    assert.ok(lines.some((l) => /^RUN .*npm ci\b/.test(l)));
    assert.ok(lines.some((l) => /^RUN .*npm run build\b.*npm prune --omit=dev/.test(l)));
  });

  test('the runtime stage runs as uid 1000 "streamkeeper", not root', () => {
    const user = runtime.filter((l) => /^USER\s/i.test(l)).at(-1);
    assert.equal(user, 'USER streamkeeper');
    assert.ok(runtime.some((l) => /useradd .*--uid 1000\b.*\bstreamkeeper$/.test(l)));
  });

  test('entry point, default command and data volume', () => {
    assert.ok(runtime.includes(`ENTRYPOINT ${JSON.stringify(['node', ...DEFAULT_BROKER_NODE_FLAGS, 'dist/src/cli/main.js']).replace(/,/g, ', ')}`));
    assert.ok(runtime.includes('CMD ["broker", "--config", "/etc/streamkeeper/server.properties"]'));
    assert.ok(runtime.includes('VOLUME ["/var/lib/streamkeeper"]'));
    assert.ok(runtime.includes('COPY docker/server.properties /etc/streamkeeper/server.properties'));
  });
});
