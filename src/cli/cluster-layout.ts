import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root: this file is dist/src/cli/cluster-layout.js. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The compiled CLI entry point, used to spawn brokers. */
export const CLI_SCRIPT = fileURLToPath(new URL('./main.js', import.meta.url));

/** What `cluster up` records in DIR/cluster.json so `cluster down` knows what to stop. */
export interface ClusterState {
  brokers: { id: number; port: number }[];
  zookeeperConnect: string;
  /** True when `cluster up` started the ZooKeeper server in DIR/zookeeper. */
  managedZookeeper: boolean;
}

/** File layout of a local cluster's data directory. */
export class ClusterLayout {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir);
  }

  get stateFile(): string {
    return join(this.root, 'cluster.json');
  }
  get secretFile(): string {
    return join(this.root, 'cluster.secret');
  }
  get zookeeperDir(): string {
    return join(this.root, 'zookeeper');
  }
  get zookeeperPidFile(): string {
    return join(this.zookeeperDir, 'zookeeper.pid');
  }
  brokerDir(id: number): string {
    return join(this.root, `broker-${id}`);
  }
  brokerConfig(id: number): string {
    return join(this.brokerDir(id), 'server.properties');
  }
  brokerLog(id: number): string {
    return join(this.brokerDir(id), 'broker.log');
  }
  brokerPidFile(id: number): string {
    return join(this.brokerDir(id), 'broker.pid');
  }
  brokerLogDirs(id: number): string {
    return join(this.brokerDir(id), 'logs');
  }

  readState(): ClusterState | undefined {
    try {
      return JSON.parse(readFileSync(this.stateFile, 'utf8')) as ClusterState;
    } catch {
      return undefined;
    }
  }

  writeState(state: ClusterState): void {
    mkdirSync(this.root, { recursive: true });
    writeFileSync(this.stateFile, JSON.stringify(state, null, 2) + '\n');
  }

  /** Broker ids that have a directory here, sorted (used when cluster.json is missing). */
  brokerIdsOnDisk(): number[] {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root)
      .map((name) => /^broker-(\d+)$/.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The cluster's shared secret: read from DIR/cluster.secret, or generated (256 random bits) and stored there. */
  clusterSecret(): string {
    if (existsSync(this.secretFile)) {
      const secret = readFileSync(this.secretFile, 'utf8').trim();
      if (secret !== '') return secret;
    }
    const secret = randomBytes(32).toString('hex');
    mkdirSync(this.root, { recursive: true });
    writeFileSync(this.secretFile, secret + '\n', { mode: 0o600 });
    return secret;
  }
}

export interface BrokerPropertiesInput {
  id: number;
  port: number;
  brokerCount: number;
  logDirs: string;
  zookeeperConnect: string;
  clusterSecret: string;
}

/** server.properties entries of one broker of a local cluster. Internal topics get RF min(3, N). */
export function brokerProperties(input: BrokerPropertiesInput): [string, string][] {
  const listener = `PLAINTEXT://127.0.0.1:${input.port}`;
  const rf = String(Math.min(3, input.brokerCount));
  return [
    ['broker.id', String(input.id)],
    ['listeners', listener],
    ['advertised.listeners', listener],
    ['log.dirs', input.logDirs],
    ['zookeeper.connect', input.zookeeperConnect],
    ['offsets.topic.replication.factor', rf],
    ['transaction.state.log.replication.factor', rf],
    ['transaction.state.log.min.isr', String(Math.min(2, input.brokerCount))],
    ['streamkeeper.cluster.secret', input.clusterSecret],
  ];
}
