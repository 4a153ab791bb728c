import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../src/cli/cli-io.js';
import { ClusterLayout } from '../../src/cli/cluster-layout.js';
import { isAlive, tryListen, waitUntil } from '../../src/cli/processes.js';
import { runCli } from '../../src/cli/run.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function runCompiledCli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'], ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function captureIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env: {}, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
}

describe('compiled CLI', () => {
  test('broker with an unknown key in its config file exits 2 naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-cli-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'zookeeper.connect=127.0.0.1:2181\nlog.dirs=/tmp/sk-never-used\nlog.retention.dayz=7\n');
    const r = runCompiledCli(['broker', '--config', file]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `streamkeeper: invalid configuration: Unknown configuration 'log.retention.dayz' (in ${file}:3)\n`);
  });

  test('broker with an invalid KAFKA_ environment variable exits 2 naming it', () => {
    const r = runCompiledCli(['broker'], { KAFKA_ZOOKEEPER_CONNECT: '127.0.0.1:2181', KAFKA_BROKER_RACKS: 'r1' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown configuration 'broker.racks' \(from environment variable KAFKA_BROKER_RACKS\)/);
  });

  test('cluster up reports a broker that fails to start, points at its log and cleans up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sk-cluster-'));
    const zkPort = await tryListen(0); // free now, and nothing listens there: ZooKeeper is unreachable
    const port = await tryListen(0);
    assert.ok(zkPort !== undefined && port !== undefined);
    const r = runCompiledCli([
      'cluster', 'up', '--brokers', '1', '--port', String(port), '--data-dir', dataDir,
      '--zookeeper', `127.0.0.1:${zkPort}`, '--timeout-s', '20',
      '--override', 'zookeeper.connection.timeout.ms=1000',
    ]);
    const layout = new ClusterLayout(dataDir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`cluster up failed: broker 1 exited during start-up; see ${layout.brokerLog(1)}`));
    assert.match(readFileSync(layout.brokerLog(1), 'utf8'), /broker 1 failed to start/);
    const props = readFileSync(layout.brokerConfig(1), 'utf8');
    assert.match(props, new RegExp(`^listeners=PLAINTEXT://127.0.0.1:${port}$`, 'm'));
    assert.match(props, /^zookeeper.connection.timeout.ms=1000$/m);
    assert.match(props, /^streamkeeper.cluster.secret=[0-9a-f]{64}$/m);
    assert.deepEqual(layout.readState(), { brokers: [{ id: 1, port }], zookeeperConnect: `127.0.0.1:${zkPort}`, managedZookeeper: false });
    assert.equal(existsSync(layout.brokerPidFile(1)), false);
  });
});

describe('cluster down', () => {
  /** Starts a stand-in broker whose command line names the broker config, as a real one's does. */
  async function fakeBroker(layout: ClusterLayout, id: number, ignoreSigterm: boolean): Promise<number> {
    mkdirSync(layout.brokerDir(id), { recursive: true });
    // It says "ready" once its SIGTERM handler is installed: a fixed sleep lost that race on a loaded machine.
    const code = `${ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000); process.stdout.write('ready\\n');`;
    const child = spawn(process.execPath, ['-e', code, '--', 'broker', '--config', layout.brokerConfig(id)], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    assert.ok(child.pid !== undefined);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.once('data', () => resolve());
      child.once('exit', () => reject(new Error('fake broker exited before it was ready')));
    });
    child.stdout?.destroy();
    child.unref();
    writeFileSync(layout.brokerPidFile(id), `${child.pid}\n`);
    return child.pid;
  }

  test('SIGTERMs every broker, SIGKILLs one that ignores it, and leaves foreign pids alone', async () => {
    const layout = new ClusterLayout(mkdtempSync(join(tmpdir(), 'sk-down-')));
    layout.writeState({ brokers: [{ id: 1, port: 1 }, { id: 2, port: 2 }, { id: 3, port: 3 }], zookeeperConnect: 'z:1', managedZookeeper: false });
    const polite = await fakeBroker(layout, 1, false);
    const stubborn = await fakeBroker(layout, 2, true);
    mkdirSync(layout.brokerDir(3), { recursive: true });
    writeFileSync(layout.brokerPidFile(3), `${process.pid}\n`); // a stale pid file naming some other process

    const io = captureIo();
    assert.equal(await runCli(['cluster', 'down', '--data-dir', layout.root, '--timeout-s', '1'], io), 0);
    assert.ok(await waitUntil(() => !isAlive(polite) && !isAlive(stubborn), 5_000));
    const log = io.err.join('\n');
    assert.match(log, new RegExp(`broker 1 \\(pid ${polite}\\) stopped`));
    assert.match(log, new RegExp(`broker 2 \\(pid ${stubborn}\\) did not stop within 1s; killed`));
    assert.match(log, new RegExp(`broker 3: pid ${process.pid} is not this cluster's broker`));
    assert.deepEqual(io.out, [`cluster in ${layout.root} stopped`]);
    for (const id of [1, 2, 3]) assert.equal(existsSync(layout.brokerPidFile(id)), false);

    const again = captureIo();
    assert.equal(await runCli(['cluster', 'down', '--data-dir', layout.root], again), 0);
    assert.deepEqual(again.out, [`nothing was running in ${layout.root}`]);
  });
});
