// `streamkeeper cluster up --detach` starts ZooKeeper and 3 brokers in the background and prints the bootstrap
// servers; kafkajs sees the 3 brokers; `cluster down` stops every process it started.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { newKafka } from '../harness/clients.js';
import { cliPath, makeTempDir, removeTempDir } from '../harness/paths.js';
import { acceptsTcp, freePort, freePortRange } from '../harness/ports.js';
import { pidsMentioning } from '../harness/procs.js';
import { DEFAULT_BROKER_NODE_FLAGS } from '../../src/cli/broker-node-flags.js';
import { runCommand, type CommandResult } from '../harness/run-command.js';
import { waitFor } from '../harness/wait.js';

const cli = async (args: readonly string[], timeoutMs: number): Promise<CommandResult> =>
  await runCommand(process.execPath, [cliPath, ...args], { timeoutMs });

describe('cluster up / cluster down', { timeout: 150_000 }, () => {
  let dataDir: string;
  let basePort: number;
  let zkPort: number;
  let bootstrap: string[] = [];

  before(async () => {
    dataDir = makeTempDir('cli');
    basePort = await freePortRange(10);
    zkPort = await freePort();
  });

  after(async () => {
    // Whatever the test outcome: ask the CLI to stop, then kill anything still running from our unique data dir.
    await cli(['cluster', 'down', '--data-dir', dataDir], 60_000).catch(() => undefined);
    for (const pid of pidsMentioning(dataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    removeTempDir(dataDir);
  });

  test('cluster up --detach returns, prints the bootstrap servers, and kafkajs sees 3 brokers', async () => {
    const help = await cli(['cluster', 'up', '--help'], 20_000);
    const helpText = help.stdout + help.stderr;
    const zkFlag = /--zk-port\b/.test(helpText) ? '--zk-port' : /--zookeeper-port\b/.test(helpText) ? '--zookeeper-port' : undefined;
    assert.ok(zkFlag !== undefined, `cluster up --help names a ZooKeeper port flag:\n${helpText}`);

    const up = await cli(
      ['cluster', 'up', '--brokers', '3', '--port', String(basePort), '--data-dir', dataDir, zkFlag, String(zkPort), '--detach'],
      120_000,
    );
    assert.equal(up.timedOut, false, `cluster up did not return within 120 s:\n${up.stdout}\n${up.stderr}`);
    assert.equal(up.code, 0, `cluster up failed:\n${up.stdout}\n${up.stderr}`);
    bootstrap = [...new Set(up.stdout.match(/(?:127\.0\.0\.1|localhost):\d+/g) ?? [])].filter(
      (hp) => Number(hp.split(':')[1]) !== zkPort,
    );
    assert.equal(bootstrap.length, 3, `three bootstrap servers printed:\n${up.stdout}`);

    const admin = newKafka(bootstrap).admin();
    await admin.connect();
    try {
      const described = await admin.describeCluster();
      assert.equal(described.brokers.length, 3, JSON.stringify(described.brokers));
      assert.deepEqual(
        described.brokers.map((b) => `${b.host}:${b.port}`).sort(),
        bootstrap.map((hp) => hp.replace('localhost', '127.0.0.1')).sort(),
      );
      assert.ok(described.brokers.some((b) => b.nodeId === described.controller), 'a controller among them');
    } finally {
      await admin.disconnect();
    }
    const brokers = pidsMentioning(dataDir).map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).filter((argv) => argv.includes('broker'));
    assert.equal(brokers.length, 3, 'the brokers run in the background, under the data dir');
    for (const argv of brokers) assert.deepEqual(argv.slice(1, 1 + DEFAULT_BROKER_NODE_FLAGS.length), [...DEFAULT_BROKER_NODE_FLAGS], `node's own flags first: ${argv.join(' ')}`);
  });

  test('cluster down stops every process and frees the ports', async () => {
    assert.equal(bootstrap.length, 3, 'needs the cluster from the previous test');
    const before = pidsMentioning(dataDir);
    assert.ok(before.length >= 3, `running processes before down: ${before.join(',')}`);
    const down = await cli(['cluster', 'down', '--data-dir', dataDir], 60_000);
    assert.equal(down.code, 0, `cluster down failed:\n${down.stdout}\n${down.stderr}`);
    await waitFor(() => pidsMentioning(dataDir).length === 0, { timeoutMs: 20_000, what: 'all cluster processes to exit' });
    for (const hp of bootstrap) assert.equal(await acceptsTcp(Number(hp.split(':')[1])), false, `${hp} closed`);
    assert.equal(await acceptsTcp(zkPort), false, 'ZooKeeper port closed');
  });
});
