import { partitionKey } from '../cluster/controller-requests.js';
import type { Partition } from '../cluster/partition.js';
import type { ReplicaFetcherControl } from '../cluster/replica-manager.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import type { FetchSender, ReplicaFetcherSettings } from './replica-fetcher.js';

/**
 * Kafka's ReplicaFetcherManager: one fetcher per leader broker; LeaderAndIsr moves a partition to the fetcher of
 * its new leader, becoming leader or StopReplica takes it out.
 */
export class ReplicaFetcherManager implements ReplicaFetcherControl {
  readonly #fetchers = new Map<number, ReplicaFetcher>();
  readonly #leaderOf = new Map<string, number>();
  readonly #opts: { send: FetchSender; settings: ReplicaFetcherSettings; brokerEpoch: () => number; clock: Clock; logger: Logger };
  #closed = false;

  constructor(opts: { send: FetchSender; settings: ReplicaFetcherSettings; brokerEpoch: () => number; clock: Clock; logger: Logger }) {
    this.#opts = opts;
  }

  addPartitions(partitions: Partition[]): void {
    if (this.#closed) return;
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      this.#removeKey(key);
      let fetcher = this.#fetchers.get(p.leader);
      if (fetcher === undefined) {
        fetcher = new ReplicaFetcher({ ...this.#opts, leaderId: p.leader, logger: this.#opts.logger.child({ leaderId: p.leader }) });
        this.#fetchers.set(p.leader, fetcher);
      }
      fetcher.add(key, p);
      this.#leaderOf.set(key, p.leader);
    }
    // One line per leader at info (a LeaderAndIsr may hand over thousands of partitions); each one at debug.
    const perLeader = new Map<number, number>();
    for (const p of partitions) perLeader.set(p.leader, (perLeader.get(p.leader) ?? 0) + 1);
    for (const [leader, count] of perLeader) this.#opts.logger.info('following partitions', { leader, count });
    if (this.#opts.logger.isDebugEnabled()) {
      this.#opts.logger.debug('following partitions', { partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch })) });
    }
  }

  removePartitions(partitions: Partition[]): void {
    for (const p of partitions) this.#removeKey(partitionKey(p.topic, p.partition));
  }

  #removeKey(key: string): void {
    const leader = this.#leaderOf.get(key);
    if (leader === undefined) return;
    this.#leaderOf.delete(key);
    const fetcher = this.#fetchers.get(leader);
    fetcher?.remove(key);
    if (fetcher !== undefined && fetcher.size === 0) {
      fetcher.close();
      this.#fetchers.delete(leader);
    }
  }

  /** Leader id per followed partition (for tools and tests). */
  followed(): Map<string, number> {
    return new Map(this.#leaderOf);
  }

  close(): void {
    this.#closed = true;
    for (const f of this.#fetchers.values()) f.close();
    this.#fetchers.clear();
    this.#leaderOf.clear();
  }
}
