import { partitionKey } from '../controller-requests.js';
import type { LiveBroker, UpdateMetadataPartition } from '../controller-requests.js';
import type { RegisteredBroker, ZkPartitionState } from './controller-zk.js';

export interface PartitionEntry {
  topic: string;
  partition: number;
  /** The full replica set; during a reassignment RS = target + original (Kafka's ReplicaAssignment). */
  replicas: number[];
  /** Non-empty only while the partition is being reassigned: target minus original, original minus target. */
  addingReplicas: number[];
  removingReplicas: number[];
  /** null while the partition is New (no state znode yet). */
  state: ZkPartitionState | null;
  zkVersion: number;
}

/** The controller's picture of the cluster, loaded from ZooKeeper on failover and kept current by events. */
export class ControllerContext {
  readonly brokers = new Map<number, RegisteredBroker>();
  readonly topicIds = new Map<string, string>();
  readonly partitions = new Map<string, PartitionEntry>();
  readonly topicsToDelete = new Set<string>();
  readonly shuttingDown = new Set<number>();

  clear(): void {
    this.brokers.clear();
    this.topicIds.clear();
    this.partitions.clear();
    this.topicsToDelete.clear();
    this.shuttingDown.clear();
  }

  readonly isAlive = (id: number): boolean => this.brokers.has(id) && !this.shuttingDown.has(id);

  liveBrokers(): LiveBroker[] {
    return [...this.brokers.values()].map((b) => b.broker).sort((a, b) => a.id - b.id);
  }

  topics(): string[] {
    return [...this.topicIds.keys()];
  }

  partitionsOf(topic: string): PartitionEntry[] {
    return [...this.partitions.values()].filter((p) => p.topic === topic);
  }

  entry(topic: string, partition: number): PartitionEntry | undefined {
    return this.partitions.get(partitionKey(topic, partition));
  }

  setEntry(e: PartitionEntry): void {
    this.partitions.set(partitionKey(e.topic, e.partition), e);
  }

  isReassigning(e: PartitionEntry): boolean {
    return e.addingReplicas.length > 0 || e.removingReplicas.length > 0;
  }

  removeTopic(topic: string): void {
    for (const e of this.partitionsOf(topic)) this.partitions.delete(partitionKey(e.topic, e.partition));
    this.topicIds.delete(topic);
    this.topicsToDelete.delete(topic);
  }

  topicIdsFor(entries: readonly PartitionEntry[]): Record<string, string> {
    const ids: Record<string, string> = {};
    for (const e of entries) ids[e.topic] = this.topicIds.get(e.topic) ?? '';
    return ids;
  }

  metadataPartition(e: PartitionEntry, leaderOverride?: number): UpdateMetadataPartition {
    const s = e.state;
    return {
      topic: e.topic,
      partition: e.partition,
      controllerEpoch: s?.controllerEpoch ?? 0,
      leader: leaderOverride ?? s?.leader ?? -1,
      leaderEpoch: s?.leaderEpoch ?? -1,
      isr: s?.isr ?? [],
      zkVersion: e.zkVersion,
      replicas: e.replicas,
      offlineReplicas: e.replicas.filter((r) => !this.brokers.has(r)),
    };
  }
}
