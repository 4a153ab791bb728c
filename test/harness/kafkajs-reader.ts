import { createRequire } from 'node:module';

/**
 * Group-less reads through kafkajs's own connection and decoder: kafkajs's public consumer needs consumer groups,
 * so this drives kafkajs 2.2.4's internal `Cluster` and `Broker.fetch` (Fetch v11, kafkajs's record decoder).
 */
const require = createRequire(import.meta.url);

interface KjsRecord {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[] | null>;
  readonly isControlRecord?: boolean;
}

interface KjsFetchResponse {
  readonly responses: Array<{
    readonly topicName: string;
    readonly partitions: Array<{
      readonly partition: number;
      readonly errorCode: number;
      readonly highWatermark: string;
      readonly messages: KjsRecord[];
    }>;
  }>;
}

interface KjsBroker {
  fetch(req: {
    replicaId: number;
    isolationLevel: number;
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    topics: Array<{ topic: string; partitions: Array<{ partition: number; fetchOffset: string; maxBytes: number }> }>;
  }): Promise<KjsFetchResponse>;
}

interface KjsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  findTopicPartitionMetadata(topic: string): Array<{ partitionId: number; leader: number }>;
  findBroker(args: { nodeId: string }): Promise<KjsBroker>;
}

type ClusterCtor = new (opts: Record<string, unknown>) => KjsCluster;

const Cluster = require('kafkajs/src/cluster') as ClusterCtor;
const loggers = require('kafkajs/src/loggers') as {
  createLogger(opts: { level: number; logCreator: unknown }): unknown;
  LEVELS: { NOTHING: number };
};
const logCreator = require('kafkajs/src/loggers/console') as unknown;
const socketFactory = require('kafkajs/src/network/socketFactory') as () => unknown;

export interface ReadRecord {
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, Buffer | Buffer[] | null>;
}

export class KafkajsReader {
  readonly #cluster: KjsCluster;

  private constructor(cluster: KjsCluster) {
    this.#cluster = cluster;
  }

  static async connect(bootstrap: readonly string[]): Promise<KafkajsReader> {
    const cluster = new Cluster({
      logger: loggers.createLogger({ level: loggers.LEVELS.NOTHING, logCreator }),
      socketFactory: socketFactory(),
      brokers: [...bootstrap],
      clientId: 'sk-integration-reader',
      connectionTimeout: 3000,
      requestTimeout: 15_000,
      enforceRequestTimeout: true,
      metadataMaxAge: 300_000,
      allowAutoTopicCreation: false,
      maxInFlightRequests: null,
      isolationLevel: 0,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    await cluster.connect();
    return new KafkajsReader(cluster);
  }

  /** Reads partition `partition` of `topic` from `fromOffset` up to the high watermark (read_uncommitted). */
  async readPartition(topic: string, partition: number, fromOffset = 0, maxBytes = 1 << 20): Promise<{ records: ReadRecord[]; highWatermark: number }> {
    await this.#cluster.addTargetTopic(topic);
    await this.#cluster.refreshMetadata();
    const meta = this.#cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    if (meta === undefined) throw new Error(`kafkajs metadata has no partition ${topic}-${partition}`);
    const broker = await this.#cluster.findBroker({ nodeId: String(meta.leader) });
    const records: ReadRecord[] = [];
    let offset = fromOffset;
    let highWatermark = -1;
    let emptyFetches = 0;
    for (;;) {
      const res = await broker.fetch({
        replicaId: -1,
        isolationLevel: 0,
        maxWaitTime: 100,
        minBytes: 1,
        maxBytes: maxBytes * 4,
        topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes }] }],
      });
      const p = res.responses.find((t) => t.topicName === topic)?.partitions.find((x) => x.partition === partition);
      if (p === undefined) throw new Error(`fetch response lacks ${topic}-${partition}`);
      if (p.errorCode !== 0) throw new Error(`fetch ${topic}-${partition}@${offset}: error code ${p.errorCode}`);
      highWatermark = Number(p.highWatermark);
      const fresh = p.messages.filter((m) => Number(m.offset) >= offset && m.isControlRecord !== true);
      for (const m of fresh) {
        records.push({
          partition,
          offset: Number(m.offset),
          timestamp: Number(m.timestamp),
          key: m.key,
          value: m.value,
          headers: m.headers,
        });
      }
      const last = fresh.at(-1);
      if (last !== undefined) {
        offset = Number(last.offset) + 1;
        emptyFetches = 0;
      } else if (++emptyFetches >= 3) {
        break;
      }
      if (offset >= highWatermark) break;
    }
    return { records, highWatermark };
  }

  async close(): Promise<void> {
    await this.#cluster.disconnect();
  }
}
