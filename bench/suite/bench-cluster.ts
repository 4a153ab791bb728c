/**
 * Clusters for the suite: the integration-test harness (real ZooKeeper, broker processes from dist/) started
 * inside the suite's working directory, topics created through kafkajs's admin client, and metadata read with
 * the perf tools' raw client.
 */
import { randomBytes } from 'node:crypto';
import { newKafka } from '../../test/harness/clients.js';
import { startCluster, type TestCluster } from '../../test/harness/cluster.js';
import { controllerId } from '../../test/harness/partition-state.js';
import type { MetadataResponse } from '../../src/protocol/apis/metadata/index.js';
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
  const partitions = Object.fromEntries(spec.assignment.map((replicas, p) => [String(p), [...replicas]]));
  await cluster.zkClient.createPersistent(`/config/topics/${spec.topic}`, JSON.stringify({ version: 1, config: spec.configs ?? {} }));
  await cluster.zkClient.createPersistent(`/brokers/topics/${spec.topic}`, JSON.stringify({ version: 3, partitions, adding_replicas: {}, removing_replicas: {}, topic_id: randomBytes(16).toString('base64url') }));
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
