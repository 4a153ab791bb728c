import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import winston from 'winston';
import { formatProperties } from '../config/properties-file.js';
import { ZkNoNodeError } from '../zk/zk-errors.js';
import { ZkClient } from '../zk/zk-client.js';
import { parseOptions } from './args.js';
import { EXIT } from './broker-command.js';
import { brokerNodeFlags } from './broker-node-flags.js';
import { firstSignal } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { runningBrokerPid, stopCluster } from './cluster-down.js';
import { brokerProperties, CLI_SCRIPT, ClusterLayout } from './cluster-layout.js';
import type { ClusterState } from './cluster-layout.js';
import { metadataBrokerIds } from './metadata-probe.js';
import { isAlive, readPid, tryListen } from './processes.js';
import { CLUSTER_UP_USAGE } from './usage.js';
import { runZkScript } from './zookeeper-scripts.js';

const OPTIONS = {
  'data-dir': { type: 'string' },
  brokers: { type: 'int', min: 1, max: 64 },
  port: { type: 'int', min: 1, max: 65535 },
  zookeeper: { type: 'string' },
  'zk-port': { type: 'int', min: 1, max: 65535 },
  'timeout-s': { type: 'int', min: 1 },
  override: { type: 'string', multiple: true },
  detach: { type: 'boolean' },
} as const;

const STOP_TIMEOUT_MS = 30_000;
const DEFAULT_ZK_PORT = 2181;

class ClusterUpError extends Error {}

function bootstrapLines(state: ClusterState): string[] {
  return [
    `bootstrap.servers=${state.brokers.map((b) => `127.0.0.1:${b.port}`).join(',')}`,
    `zookeeper.connect=${state.zookeeperConnect}`,
  ];
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** Starts (or reuses) this cluster's ZooKeeper; returns its connect string and whether it was started now. */
async function ensureZookeeper(
  layout: ClusterLayout,
  zkPort: number | undefined,
  previous: ClusterState | undefined,
  io: CliIo,
): Promise<{ connect: string; started: boolean }> {
  const pid = readPid(layout.zookeeperPidFile);
  if (pid !== undefined && isAlive(pid) && previous?.managedZookeeper === true) {
    io.stderr(`ZooKeeper of this cluster is already running (pid ${pid})`);
    return { connect: previous.zookeeperConnect, started: false };
  }
  if ((await runZkScript('install.sh', [], io)) !== 0) throw new ClusterUpError('could not install ZooKeeper (zk/install.sh failed)');
  let port = zkPort;
  if (port === undefined) port = (await tryListen(DEFAULT_ZK_PORT)) ?? (await tryListen(0));
  if (port === undefined) throw new ClusterUpError('found no free port for ZooKeeper');
  const status = await runZkScript('start.sh', ['--port', String(port), '--data-dir', layout.zookeeperDir], io);
  if (status !== 0) throw new ClusterUpError(`ZooKeeper did not start (zk/start.sh exited with ${status}); see ${layout.zookeeperDir}/zookeeper.log`);
  return { connect: `127.0.0.1:${port}`, started: true };
}

function spawnBroker(layout: ClusterLayout, id: number): number {
  const log = openSync(layout.brokerLog(id), 'a');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KAFKA_')));
  try {
    const child = spawn(process.execPath, [...brokerNodeFlags(), CLI_SCRIPT, 'broker', '--config', layout.brokerConfig(id)], {
      detached: true,
      stdio: ['ignore', log, log],
      env,
    });
    if (child.pid === undefined) throw new ClusterUpError(`could not start broker ${id}`);
    child.unref();
    writeFileSync(layout.brokerPidFile(id), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Broker ids registered under /brokers/ids, or [] while ZooKeeper or the path is not there yet. */
async function registeredIds(zk: ZkClient): Promise<string[]> {
  try {
    return await zk.getChildren('/brokers/ids');
  } catch (err) {
    if (err instanceof ZkNoNodeError) return [];
    throw err;
  }
}

/**
 * Waits until every broker is in /brokers/ids and answers Metadata listing all the cluster's brokers (what a
 * client needs to bootstrap); throws ClusterUpError naming the logs.
 */
async function waitForBrokers(layout: ClusterLayout, state: ClusterState, pids: Map<number, number>, timeoutMs: number): Promise<void> {
  const pending = new Map(state.brokers.map((b) => [b.id, b.port]));
  const deadline = Date.now() + timeoutMs;
  const logger = winston.createLogger({ silent: true });
  let zk: ZkClient | undefined;
  try {
    while (pending.size > 0) {
      for (const id of pending.keys()) {
        if (!isAlive(pids.get(id) ?? -1)) {
          throw new ClusterUpError(`broker ${id} exited during start-up; see ${layout.brokerLog(id)}:\n${tail(layout.brokerLog(id), 15)}`);
        }
      }
      let registered: string[] = [];
      try {
        zk ??= await ZkClient.connect({ connectString: state.zookeeperConnect, sessionTimeoutMs: 10_000, connectionTimeoutMs: 3_000, logger, createChroot: false });
        registered = await registeredIds(zk);
      } catch {
        zk?.close();
        zk = undefined;
      }
      for (const [id, port] of pending) {
        if (!registered.includes(String(id))) continue;
        const listed = await metadataBrokerIds('127.0.0.1', port);
        if (listed !== undefined && state.brokers.every((b) => listed.includes(b.id))) pending.delete(id);
      }
      if (pending.size === 0) break;
      if (Date.now() >= deadline) {
        const logs = [...pending.keys()].map((id) => layout.brokerLog(id)).join(', ');
        throw new ClusterUpError(`timed out after ${timeoutMs / 1000}s waiting for broker(s) ${[...pending.keys()].join(', ')} to register in ZooKeeper and list the whole cluster in Metadata; see ${logs}`);
      }
      await sleep(250);
    }
  } finally {
    zk?.close();
  }
}

/** Stays in the foreground until SIGINT/SIGTERM, reporting brokers that exit, then stops the cluster. */
async function runForeground(layout: ClusterLayout, state: ClusterState, pids: Map<number, number>, io: CliIo): Promise<number> {
  io.stderr('cluster is running; press Ctrl-C to stop it');
  const reported = new Set<number>();
  const monitor = setInterval(() => {
    for (const [id, pid] of pids) {
      if (!reported.has(id) && !isAlive(pid)) {
        reported.add(id);
        io.stderr(`broker ${id} (pid ${pid}) exited; see ${layout.brokerLog(id)}`);
      }
    }
  }, 2_000);
  const signal = await firstSignal(['SIGINT', 'SIGTERM'], () => io.stderr('already stopping the cluster'));
  clearInterval(monitor);
  io.stderr(`${signal} received; stopping the cluster`);
  await stopCluster(layout, io, STOP_TIMEOUT_MS, state.managedZookeeper);
  return EXIT.OK;
}

/** `streamkeeper cluster up`: ZooKeeper (unless --zookeeper) and N brokers on 127.0.0.1. */
export async function clusterUpCommand(args: readonly string[], io: CliIo): Promise<number> {
  const opts = parseOptions(args, OPTIONS, CLUSTER_UP_USAGE);
  if (opts.help) {
    io.stdout(CLUSTER_UP_USAGE);
    return EXIT.OK;
  }
  const layout = new ClusterLayout(opts.requiredString('data-dir'));
  const brokerCount = opts.int('brokers') ?? 3;
  const basePort = opts.int('port') ?? 9092;
  if (basePort + brokerCount - 1 > 65535) {
    io.stderr(`streamkeeper: ports ${basePort}..${basePort + brokerCount - 1} run past 65535`);
    return EXIT.USAGE;
  }
  const brokers = Array.from({ length: brokerCount }, (_, i) => ({ id: i + 1, port: basePort + i }));
  const previous = layout.readState();
  const running = (previous?.brokers ?? []).filter((b) => runningBrokerPid(layout, b.id) !== undefined);
  if (previous !== undefined && running.length > 0) {
    const same = running.length === previous.brokers.length && JSON.stringify(previous.brokers) === JSON.stringify(brokers);
    if (!same) {
      io.stderr(`streamkeeper: a different cluster is still running in ${layout.root}; run "streamkeeper cluster down --data-dir ${layout.root}" first`);
      return EXIT.FAILURE;
    }
    io.stderr(`cluster in ${layout.root} is already running`);
    for (const line of bootstrapLines(previous)) io.stdout(line);
    return EXIT.OK;
  }

  let state: ClusterState | undefined;
  let startedZookeeper = false;
  const pids = new Map<number, number>();
  try {
    for (const b of brokers) {
      if ((await tryListen(b.port)) === undefined) throw new ClusterUpError(`port ${b.port} (broker ${b.id}) is already in use`);
    }
    mkdirSync(layout.root, { recursive: true });
    const external = opts.string('zookeeper');
    let zookeeperConnect = external;
    if (zookeeperConnect === undefined) {
      const zk = await ensureZookeeper(layout, opts.int('zk-port'), previous, io);
      zookeeperConnect = zk.connect;
      startedZookeeper = zk.started;
    }
    state = { brokers, zookeeperConnect, managedZookeeper: external === undefined };
    layout.writeState(state);
    const clusterSecret = layout.clusterSecret();
    const extra = opts.strings('override').map((o): [string, string] => {
      const eq = o.indexOf('=');
      if (eq <= 0) throw new ClusterUpError(`invalid --override '${o}': expected key=value`);
      return [o.slice(0, eq), o.slice(eq + 1)];
    });
    for (const b of brokers) {
      mkdirSync(layout.brokerLogDirs(b.id), { recursive: true });
      const props = brokerProperties({ ...b, brokerCount, logDirs: layout.brokerLogDirs(b.id), zookeeperConnect, clusterSecret });
      writeFileSync(layout.brokerConfig(b.id), formatProperties([...props, ...extra], `broker ${b.id}, generated by streamkeeper cluster up`), { mode: 0o600 });
      pids.set(b.id, spawnBroker(layout, b.id));
      io.stderr(`broker ${b.id} starting on 127.0.0.1:${b.port} (pid ${pids.get(b.id)}, log ${layout.brokerLog(b.id)})`);
    }
    await waitForBrokers(layout, state, pids, (opts.int('timeout-s') ?? 60) * 1000);
  } catch (err) {
    if (!(err instanceof ClusterUpError)) throw err;
    io.stderr(`streamkeeper: cluster up failed: ${err.message}`);
    io.stderr('stopping what was started');
    await stopCluster(layout, io, 10_000, startedZookeeper);
    return EXIT.FAILURE;
  }

  for (const line of bootstrapLines(state)) io.stdout(line);
  if (opts.flag('detach')) {
    io.stderr(`stop it with: streamkeeper cluster down --data-dir ${layout.root}`);
    return EXIT.OK;
  }
  return runForeground(layout, state, pids, io);
}
