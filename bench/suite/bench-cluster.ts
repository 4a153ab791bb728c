/**
 * Clusters for the suite: the integration-test harness (real ZooKeeper, broker processes from dist/) started
 * inside the suite's working directory, topics created through kafkajs's admin client, and metadata read with
 * the perf tools' raw client.
 */
import { newKafka } from '../../test/harness/clients.js';
import { startCluster, type TestCluster } from '../../test/harness/cluster.js';
import { controllerId } from '../../test/harness/partition-state.js';
import type { ZkInspector } from '../../test/harness/zk-inspect.js';
import { errorByCode } from '../../src/protocol/error-codes.js';
import type { ListOffsetsResponse } from '../../src/protocol/apis/list-offsets/index.js';
import type { MetadataResponse } from '../../src/protocol/apis/metadata/index.js';
import { encodeEntityConfig } from '../../src/zk/codecs/entity-config.js';
import { encodeTopicAssignment } from '../../src/zk/codecs/topic-assignment.js';
import { newTopicId } from '../../src/zk/codecs/uuid.js';
import { ConfigType, ZkPaths } from '../../src/zk/paths.js';
import { RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';
import type { HostPort } from '../../src/cli/perf/perf-options.js';
import type { SuiteContext } from './suite-context.js';

export const SESSION_TIMEOUT_MS = 6000;

export interface TopicSpec {
  readonly topic: string;
  /** Replicas of each partition, the preferred leader first. */
  readonly assignment: readonly (readonly number[])[];
  readonly configs?: Readonly<Record<string, string>>;
}

/** Starts `brokers` brokers (ids 1..n) with a 6 s ZooKeeper session and quiet logs; stopped by `ctx` at the end. */
export async function benchCluster(ctx: SuiteContext, brokers: number, overrides: Readonly<Record<string, string>> = {}): Promise<TestCluster> {
  ctx.progress(`starting ZooKeeper and ${brokers} broker(s)`);
  const cluster = await startCluster({
    brokers,
    startTimeoutMs: 60_000,
    overrides: {
      'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'streamkeeper.log.level': 'info',
      'auto.create.topics.enable': 'false',
      'auto.leader.rebalance.enable': 'false',
      ...overrides,
    },
  });
  ctx.defer('cluster', async () => await cluster.stop());
  return cluster;
}

export function bootstrapOf(cluster: TestCluster): HostPort[] {
  return [...cluster.brokers.values()].map((b) => ({ host: '127.0.0.1', port: b.port }));
}

/** Broker ids with the controller last (so a partition's preferred leader is not the controller). */
export async function idsControllerLast(cluster: TestCluster): Promise<number[]> {
  const controller = await controllerId(cluster);
  return [...cluster.brokers.keys()].sort((a, b) => Number(a === controller) - Number(b === controller) || a - b);
}

export async function metadata(port: number, topics: readonly string[] | null): Promise<MetadataResponse> {
  const client = await RawKafkaClient.connect(port);
  try {
    return await client.request<MetadataResponse>(3, 1, { topics: topics === null ? null : topics.map((name) => ({ name })) });
  } finally {
    client.close();
  }
}

/**
 * The log end offset of partition 0 of `topic` on the broker at `port`. Retriable errors (the broker has not
 * applied its LeaderAndIsr yet, though another broker's metadata already names it leader) are retried for up to
 * `timeoutMs`, as a Kafka client would.
 */
export async function logEndOffset(port: number, topic: string, timeoutMs = 30_000): Promise<number> {
  const client = await RawKafkaClient.connect(port);
  const deadline = performance.now() + timeoutMs;
  try {
    for (;;) {
      const r = await client.request<ListOffsetsResponse>(2, 1, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] });
      const p = r.topics[0]?.partitions[0];
      if (p !== undefined && p.errorCode === 0) return Number(p.offset);
      const error = p === undefined ? undefined : errorByCode(p.errorCode);
      if (error === undefined || !error.retriable || performance.now() > deadline) {
        throw new Error(`ListOffsets of ${topic} failed (${error?.name ?? 'no partition'})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    client.close();
  }
}

/**
 * Writes a topic's config znode and its assignment znode (a new topic id) in Kafka's layout, as Kafka's
 * --zookeeper tools did; the controller takes it from there.
 */
export async function writeTopicZnodes(
  zk: ZkInspector,
  topic: string,
  assignment: readonly (readonly number[])[],
  configs: Readonly<Record<string, string>> = {},
): Promise<void> {
  const partitions = new Map(assignment.map((replicas, p) => [p, replicas]));
  await zk.createPersistent(ZkPaths.configEntity(ConfigType.TOPIC, topic), encodeEntityConfig(configs).toString('utf8'));
  const topicZnode = encodeTopicAssignment({ partitions, addingReplicas: new Map(), removingReplicas: new Map(), topicId: newTopicId() });
  await zk.createPersistent(ZkPaths.topic(topic), topicZnode.toString('utf8'));
}

/** Creates the topic and waits until every partition has its preferred leader and a full ISR in the metadata. */
export async function createTopic(cluster: TestCluster, spec: TopicSpec, timeoutMs = 120_000): Promise<void> {
  await createTopicWithAdmin(cluster, spec, timeoutMs);
  await waitForLeaders(cluster, spec, timeoutMs);
}

/**
 * Writes the topic's config and assignment znodes straight into ZooKeeper (as Kafka's --zookeeper tools did) and
 * waits for the controller to give every partition its leader: for thousands of partitions, where CreateTopics
 * would outlast the admin client's request timeout.
 */
export async function createTopicInZk(cluster: TestCluster, spec: TopicSpec, timeoutMs: number): Promise<void> {
  await writeTopicZnodes(cluster.zkClient, spec.topic, spec.assignment, spec.configs);
  await waitForLeaders(cluster, spec, timeoutMs);
}

async function createTopicWithAdmin(cluster: TestCluster, spec: TopicSpec, timeoutMs: number): Promise<void> {
  const admin = newKafka(cluster.bootstrap, 'sk-bench-admin').admin();
  await admin.connect();
  try {
    await admin.createTopics({
      timeout: timeoutMs,
      waitForLeaders: false,
      topics: [{
        topic: spec.topic,
        replicaAssignment: spec.assignment.map((replicas, partition) => ({ partition, replicas: [...replicas] })),
        configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      }],
    });
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(cluster: TestCluster, spec: TopicSpec, timeoutMs: number): Promise<void> {
  const port = [...cluster.brokers.values()][0]?.port ?? 0;
  await cluster.waitFor(
    async () => {
      const md = await metadata(port, [spec.topic]);
      const parts = md.topics[0]?.partitions ?? [];
      if (parts.length !== spec.assignment.length) return false;
      return parts.every((p) => {
        const want = spec.assignment[p.partitionIndex] ?? [];
        return p.leaderId === want[0] && p.isrNodes.length === want.length;
      });
    },
    { timeoutMs, intervalMs: 250, what: `leaders and full ISRs for the ${spec.assignment.length} partitions of ${spec.topic}` },
  );
}
