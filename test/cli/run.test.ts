import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run.js';
import { BROKER_USAGE, CLUSTER_DOWN_USAGE, CLUSTER_UP_USAGE, CLUSTER_USAGE, MAIN_USAGE } from '../../src/cli/usage.js';

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('runCli', () => {
  test('help for every command goes to stdout with status 0', async () => {
    const cases: [string[], string][] = [
      [['--help'], MAIN_USAGE],
      [['broker', '--help'], BROKER_USAGE],
      [['cluster', '--help'], CLUSTER_USAGE],
      [['cluster', 'up', '--help'], CLUSTER_UP_USAGE],
      [['cluster', 'down', '-h'], CLUSTER_DOWN_USAGE],
    ];
    for (const [argv, usage] of cases) {
      const io = captureIo();
      assert.equal(await runCli(argv, io), 0, argv.join(' '));
      assert.deepEqual(io.out, [usage]);
      assert.deepEqual(io.err, []);
    }
  });

  test('usage mistakes exit 2 with the message and the usage on stderr', async () => {
    const cases: [string[], RegExp][] = [
      [[], /^usage: streamkeeper <command>/],
      [['serve'], /^streamkeeper: unknown command 'serve'\n\nusage: streamkeeper <command>/],
      [['cluster'], /^usage: streamkeeper cluster <up\|down>/],
      [['cluster', 'sideways'], /unknown cluster command 'sideways'/],
      [['cluster', 'up'], /missing required option --data-dir\n\nusage: streamkeeper cluster up/],
      [['cluster', 'up', '--data-dir', 'x', '--brokers', '0'], /--brokers must be at least 1/],
      [['cluster', 'down'], /missing required option --data-dir/],
      [['broker', '--config'], /option --config needs a value/],
      [['broker', 'extra'], /unexpected argument 'extra'/],
    ];
    for (const [argv, pattern] of cases) {
      const io = captureIo();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.match(io.err.join('\n'), pattern, argv.join(' '));
      assert.deepEqual(io.out, []);
    }
  });

  test('broker: invalid configuration from the file, the environment or overrides exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'zookeeper.connect=127.0.0.1:2181\nlog.dirs=/tmp/x\n');
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['broker', '--config', join(dir, 'missing.properties')], {}, /cannot read configuration file .*missing.properties/],
      [['broker', '--config', file], { KAFKA_NUM_PARTITIONS: 'zero' }, /Invalid value zero for configuration num.partitions/],
      [['broker', '--config', file, '--override', 'broker.id=x'], {}, /Invalid value x for configuration broker.id/],
      [['broker', '--override', 'num.partitions=2'], {}, /Missing required configuration "zookeeper.connect"/],
      [['broker', '--config', file, '--override', 'novalue'], {}, /invalid override 'novalue'/],
    ];
    for (const [argv, env, pattern] of cases) {
      const io = captureIo(env);
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.match(io.err.join('\n'), new RegExp(`^streamkeeper: invalid configuration: ${pattern.source}`));
    }
  });

  test('cluster up rejects a port range past 65535', async () => {
    const io = captureIo();
    assert.equal(await runCli(['cluster', 'up', '--data-dir', mkdtempSync(join(tmpdir(), 'sk-cli-')), '--port', '65535', '--brokers', '2'], io), 2);
    assert.match(io.err.join('\n'), /ports 65535..65536 run past 65535/);
  });
});
