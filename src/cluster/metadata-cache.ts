import type { LiveBroker, UpdateMetadataPartition, UpdateMetadataRequest } from './controller-requests.js';
import { LEADER_DURING_DELETE } from './controller-requests.js';

export interface CachedTopic {
  name: string;
  topicId: string;
  partitions: Map<number, UpdateMetadataPartition>;
}

/**
 * What this broker knows of the cluster, filled only by the controller's UpdateMetadata, as in Kafka.
 * Metadata, FindCoordinator and DescribeCluster are answered from here.
 */
export class MetadataCache {
  #controllerId = -1;
  #controllerEpoch = 0;
  #brokers = new Map<number, LiveBroker>();
  #topics = new Map<string, CachedTopic>();
  #listeners: (() => void)[] = [];

  get controllerId(): number {
    return this.#controllerId;
  }

  get controllerEpoch(): number {
    return this.#controllerEpoch;
  }

  liveBrokers(): LiveBroker[] {
    return [...this.#brokers.values()].sort((a, b) => a.id - b.id);
  }

  broker(id: number): LiveBroker | undefined {
    return this.#brokers.get(id);
  }

  isAlive(id: number): boolean {
    return this.#brokers.has(id);
  }

  topicNames(): string[] {
    return [...this.#topics.keys()].sort();
  }

  topic(name: string): CachedTopic | undefined {
    return this.#topics.get(name);
  }

  partition(topic: string, partition: number): UpdateMetadataPartition | undefined {
    return this.#topics.get(topic)?.partitions.get(partition);
  }

  /** True when every partition of the topic has a live leader. */
  hasLeaders(topic: string, partitions?: number): boolean {
    const t = this.#topics.get(topic);
    if (t === undefined) return false;
    if (partitions !== undefined && t.partitions.size < partitions) return false;
    for (const p of t.partitions.values()) if (p.leader < 0) return false;
    return true;
  }

  /** Returns false (and changes nothing) when the request comes from an older controller epoch. */
  update(req: UpdateMetadataRequest): boolean {
    if (req.controllerEpoch < this.#controllerEpoch) return false;
    this.#controllerEpoch = req.controllerEpoch;
    this.#controllerId = req.controllerId;
    this.#brokers = new Map(req.liveBrokers.map((b) => [b.id, b]));
    for (const p of req.partitions) {
      if (p.leader === LEADER_DURING_DELETE) {
        this.#topics.delete(p.topic);
        continue;
      }
      let t = this.#topics.get(p.topic);
      if (t === undefined) {
        t = { name: p.topic, topicId: req.topicIds[p.topic] ?? '', partitions: new Map() };
        this.#topics.set(p.topic, t);
      }
      const topicId = req.topicIds[p.topic];
      if (topicId !== undefined) t.topicId = topicId;
      t.partitions.set(p.partition, p);
    }
    for (const l of this.#listeners) l();
    return true;
  }

  /** Called after every applied update; handlers waiting for metadata (CreateTopics) use it. */
  onUpdate(listener: () => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }
}
