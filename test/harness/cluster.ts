import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { killAndWait, spawnBroker, tailFile, writeProperties } from './broker-process.js';
import { makeTempDir, removeTempDir } from './paths.js';
import { acceptsTcp, freePort } from './ports.js';
import { clusterView } from './raw-connection.js';
import { isAlive, trackPidFile, untrackPidFile } from './reaper.js';
import { waitFor, type WaitOptions } from './wait.js';
import { ZkInspector } from './zk-inspect.js';
import { startZooKeeper } from './zookeeper.js';

export type ZooKeeperServer = Awaited<ReturnType<typeof startZooKeeper>>;

export interface ClusterOptions {
  /** Number of brokers; their ids are 1..brokers. */
  readonly brokers: number;
  /** Config for every broker, on top of the harness defaults. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Config for one broker, on top of `overrides`. */
  readonly perBroker?: (id: number) => Readonly<Record<string, string>>;
  /** ZooKeeper tickTime; sessions can be as short as 2 ticks. */
  readonly zkTickMs?: number;
  /** A chroot such as `/streamkeeper-abc`; the brokers' zookeeper.connect ends with it. */
  readonly chroot?: string;
  /** How long to wait for each broker to register (default 30 s). */
  readonly startTimeoutMs?: number;
}

export interface BrokerHandle {
  readonly id: number;
  readonly port: number;
  readonly dataDir: string;
  readonly configFile: string;
  readonly logFile: string;
  pid: number;
  process: ChildProcess;
  /** czxid of the `/brokers/ids/<id>` znode of the latest registration (the broker epoch). */
  brokerEpoch: number;
}

const BROKER_EXIT_GRACE_MS = 20_000;

/** A real ZooKeeper plus real broker processes in a temp dir. Always `stop()` it (use `after`). */
export class TestCluster {
  readonly zk: ZooKeeperServer;
  /** ZooKeeper connect string including the chroot, as given to the brokers. */
  readonly connectString: string;
  readonly bootstrap: string[];
  readonly brokers: Map<number, BrokerHandle>;
  /** A test-side ZooKeeper client on `connectString` (independent of the broker's code). */
  readonly zkClient: ZkInspector;
  readonly rootDir: string;
  readonly #startTimeoutMs: number;
  #stopped = false;

  constructor(args: {
    zk: ZooKeeperServer;
    connectString: string;
    brokers: Map<number, BrokerHandle>;
    zkClient: ZkInspector;
    rootDir: string;
    startTimeoutMs: number;
  }) {
    this.zk = args.zk;
    this.connectString = args.connectString;
    this.brokers = args.brokers;
    this.bootstrap = [...args.brokers.values()].map((b) => `127.0.0.1:${b.port}`);
    this.zkClient = args.zkClient;
    this.rootDir = args.rootDir;
    this.#startTimeoutMs = args.startTimeoutMs;
  }

  broker(id: number): BrokerHandle {
    const b = this.brokers.get(id);
    if (b === undefined) throw new Error(`no broker ${id} in this cluster`);
    return b;
  }

  isRunning(id: number): boolean {
    const b = this.broker(id);
    return b.process.exitCode === null && b.process.signalCode === null && isAlive(b.pid);
  }

  /** Sends `signal` (default SIGKILL = crash) and waits for the process to exit. */
  async kill(id: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const result = await killAndWait(this.broker(id).process, signal, BROKER_EXIT_GRACE_MS);
    if (result.escalated) {
      process.stderr.write(`broker ${id} ignored ${signal} for ${BROKER_EXIT_GRACE_MS} ms; killed with SIGKILL\n`);
    }
  }

  /** Restarts a stopped broker with the same config and data dir; waits until it is registered and serving. */
  async start(id: number): Promise<void> {
    const b = this.broker(id);
    if (this.isRunning(id)) throw new Error(`broker ${id} is still running (pid ${b.pid})`);
    fs.appendFileSync(b.logFile, `\n===== harness: restarting broker ${id} at ${new Date().toISOString()} =====\n`);
    b.process = spawnBroker(b.configFile, b.logFile);
    b.pid = b.process.pid ?? -1;
    await this.#waitRegistered(b, b.brokerEpoch);
  }

  /** Waits until `/brokers/ids/<id>` is gone (e.g. after a crash, once the ZooKeeper session expired). */
  async waitDeregistered(id: number, timeoutMs = 30_000): Promise<void> {
    await this.waitFor(async () => (await this.zkClient.exists(`/brokers/ids/${id}`)) === undefined, {
      timeoutMs,
      what: `/brokers/ids/${id} to disappear`,
    });
  }

  /** SIGTERM to every broker, then stop ZooKeeper and remove the temp dirs (unless KEEP_TEST_DIRS is set). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    // One at a time, the controller last: each controlled shutdown then finds live brokers to hand leadership to.
    let controllerId = -1;
    try {
      controllerId = Number((await this.zkClient.getJson('/controller') as { brokerid?: number } | undefined)?.brokerid ?? -1);
    } catch {
      controllerId = -1;
    }
    const order = [...this.brokers.values()].sort((a, b) => Number(a.id === controllerId) - Number(b.id === controllerId));
    for (const b of order) {
      const r = await killAndWait(b.process, 'SIGTERM', BROKER_EXIT_GRACE_MS);
      if (r.escalated) process.stderr.write(`broker ${b.id} did not stop on SIGTERM; killed\n`);
    }
    this.zkClient.close();
    const pidFile = path.join(this.zk.dataDir, 'zookeeper.pid');
    await this.zk.stop();
    untrackPidFile(pidFile);
    removeTempDir(this.rootDir);
  }

  /** Everything broker `id` wrote to stdout/stderr so far (all of its runs). */
  logs(id: number): string {
    return fs.readFileSync(this.broker(id).logFile, 'utf8');
  }

  /** Byte length of broker `id`'s log file, to look at only what comes after with `logsSince`. */
  logMark(id: number): number {
    return fs.statSync(this.broker(id).logFile).size;
  }

  logsSince(id: number, mark: number): string {
    return fs.readFileSync(this.broker(id).logFile).subarray(mark).toString('utf8');
  }

  async waitFor<T>(predicate: () => T | Promise<T>, opts: WaitOptions = {}): Promise<Exclude<T, false | null | undefined>> {
    return await waitFor(predicate, opts);
  }

  /** Prints the tail of every broker log to stderr. */
  printLogTails(lines = 40): void {
    for (const b of this.brokers.values()) {
      process.stderr.write(`\n----- broker ${b.id} (pid ${b.pid}) ${b.logFile}: last ${lines} lines -----\n`);
      process.stderr.write(`${tailFile(b.logFile, lines)}\n`);
    }
  }

  /** Runs `fn`; if it throws, prints the broker log tails, then rethrows. Wrap each test body in it. */
  async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.printLogTails();
      throw err;
    }
  }

  /** Waits until broker `id` is registered and serving (a registration newer than `previousEpoch`, if given). */
  async waitRegistered(id: number, previousEpoch = -1): Promise<void> {
    await this.#waitRegistered(this.broker(id), previousEpoch);
  }

  /**
   * Registration alone leaves a window in which the broker's metadata has no controller yet (kafkajs admin then
   * fails with "Broker -1 not found"), so readiness also asks the broker itself: Metadata must name a controller
   * and every broker registered in ZooKeeper.
   */
  async #knowsCluster(b: BrokerHandle): Promise<boolean> {
    const registered = ((await this.zkClient.children('/brokers/ids')) ?? []).map(Number);
    const view = await clusterView(b.port).catch(() => undefined);
    return (
      view !== undefined && view.controllerId >= 0 && registered.every((id) => view.brokerIds.includes(id))
    );
  }

  /** Registered = `/brokers/ids/<id>` exists with a czxid other than `previousEpoch`, and the port accepts TCP. */
  async #waitRegistered(b: BrokerHandle, previousEpoch: number): Promise<void> {
    const deadline = Date.now() + this.#startTimeoutMs;
    for (;;) {
      if (b.process.exitCode !== null || b.process.signalCode !== null) {
        throw new Error(
          `broker ${b.id} exited (code ${b.process.exitCode}, signal ${b.process.signalCode}) before registering; ` +
            `log tail:\n${tailFile(b.logFile, 30)}`,
        );
      }
      const stat = await this.zkClient.exists(`/brokers/ids/${b.id}`).catch(() => undefined);
      if (stat !== undefined && stat.czxid !== previousEpoch && (await acceptsTcp(b.port))) {
        b.brokerEpoch = stat.czxid;
        if (await this.#knowsCluster(b)) return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `broker ${b.id} did not register /brokers/ids/${b.id}, accept TCP on ${b.port} and report a controller ` +
            `and every registered broker in Metadata within ${this.#startTimeoutMs} ms; log tail:\n${tailFile(b.logFile, 30)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts ZooKeeper and `opts.brokers` brokers (ids 1..n) and waits until all are registered and serving. */
export async function startCluster(opts: ClusterOptions): Promise<TestCluster> {
  const rootDir = makeTempDir('cluster');
  const zk = await startZooKeeper({ tickMs: opts.zkTickMs ?? 500 });
  const zkPidFile = path.join(zk.dataDir, 'zookeeper.pid');
  trackPidFile(zkPidFile);
  const connectString = `127.0.0.1:${zk.port}${opts.chroot ?? ''}`;
  const secret = randomBytes(16).toString('hex');
  const brokers = new Map<number, BrokerHandle>();
  let zkClient: ZkInspector | undefined;
  try {
    for (let id = 1; id <= opts.brokers; id++) {
      const port = await freePort();
      const dataDir = path.join(rootDir, `broker-${id}`);
      fs.mkdirSync(dataDir, { recursive: true });
      const configFile = path.join(dataDir, 'server.properties');
      writeProperties(configFile, {
        'broker.id': String(id),
        listeners: `PLAINTEXT://127.0.0.1:${port}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
        'log.dirs': path.join(dataDir, 'kafka-logs'),
        'zookeeper.connect': connectString,
        'zookeeper.session.timeout.ms': '6000',
        'num.partitions': '1',
        'default.replication.factor': '1',
        'streamkeeper.cluster.secret': secret,
        'streamkeeper.log.level': 'info',
        ...opts.overrides,
        ...opts.perBroker?.(id),
      });
      const logFile = path.join(dataDir, 'broker.log');
      const child = spawnBroker(configFile, logFile);
      brokers.set(id, { id, port, dataDir, configFile, logFile, pid: child.pid ?? -1, process: child, brokerEpoch: -1 });
    }
    zkClient = await ZkInspector.connect(connectString);
    const cluster = new TestCluster({
      zk,
      connectString,
      brokers,
      zkClient,
      rootDir,
      startTimeoutMs: opts.startTimeoutMs ?? 30_000,
    });
    try {
      await Promise.all([...brokers.values()].map(async (b) => await cluster.waitRegistered(b.id)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  } catch (err) {
    if (zkClient === undefined) {
      await Promise.all([...brokers.values()].map(async (b) => await killAndWait(b.process, 'SIGKILL')));
      await zk.stop();
      untrackPidFile(zkPidFile);
      removeTempDir(rootDir);
    }
    throw err;
  }
}
