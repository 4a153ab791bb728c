import { LEADER_DURING_DELETE } from '../controller-requests.js';
import type { ControllerOps } from './controller-ops.js';

/**
 * Kafka's TopicDeletionManager: topics marked under /admin/delete_topics are deleted once no partition is being
 * reassigned and every replica is online. UpdateMetadata with leader -2 makes brokers drop the topic,
 * StopReplica(deletePartition=true, leaderEpoch -2) removes the replicas, then the znodes go.
 */
export class TopicDeletion {
  readonly #ops: ControllerOps;
  readonly #enabled: boolean;
  readonly #sent = new Set<string>();

  constructor(ops: ControllerOps, deleteTopicEnable: boolean) {
    this.#ops = ops;
    this.#enabled = deleteTopicEnable;
  }

  clear(): void {
    this.#sent.clear();
  }

  /** On failover: the pending deletions, with a child watch on /admin/delete_topics. */
  async load(): Promise<void> {
    for (const t of await this.#ops.zk.topicsToDelete(this.#ops.watch('topic-deletion', () => this.#onMarkersChange()))) {
      this.#ops.ctx.topicsToDelete.add(t);
    }
  }

  async #onMarkersChange(): Promise<void> {
    const { ctx, zk, logger } = this.#ops;
    const marked = await zk.topicsToDelete(this.#ops.watch('topic-deletion', () => this.#onMarkersChange()));
    for (const t of marked) {
      if (!this.#enabled || !ctx.topicIds.has(t)) {
        logger.info('removing topic deletion marker', { topic: t, reason: this.#enabled ? 'no such topic' : 'delete.topic.enable=false' });
        await zk.removeDeletionMarker(this.#ops.fence(), t);
        continue;
      }
      ctx.topicsToDelete.add(t);
    }
    await this.process();
  }

  /** Starts the deletion of every eligible marked topic not already under way. */
  async process(): Promise<void> {
    const { ctx, logger } = this.#ops;
    for (const topic of ctx.topicsToDelete) {
      if (this.#sent.has(topic)) continue;
      const entries = ctx.partitionsOf(topic);
      if (entries.some((e) => ctx.isReassigning(e))) {
        logger.info('topic deletion waits for a partition reassignment', { topic });
        continue;
      }
      const replicas = new Set(entries.flatMap((e) => e.replicas));
      if ([...replicas].some((r) => !ctx.brokers.has(r))) {
        logger.info('topic deletion waits for offline replicas', { topic });
        continue;
      }
      this.#sent.add(topic);
      this.#ops.sendUpdateMetadata(this.#ops.liveIds(), entries, LEADER_DURING_DELETE);
      const pending = new Set(replicas);
      if (pending.size === 0) {
        await this.#complete(topic);
        continue;
      }
      for (const brokerId of replicas) {
        const partitions = entries.filter((e) => e.replicas.includes(brokerId)).map((e) => ({ topic, partition: e.partition, leaderEpoch: -2, deletePartition: true }));
        this.#ops.sendStopReplica(brokerId, partitions, (code) => {
          if (code !== 0) {
            logger.warn('replica deletion failed; will retry', { topic, brokerId, errorCode: code });
            this.#sent.delete(topic);
            return;
          }
          pending.delete(brokerId);
          if (pending.size === 0) this.#ops.enqueue(`deletion-complete ${topic}`, () => this.#complete(topic));
        });
      }
    }
  }

  async #complete(topic: string): Promise<void> {
    if (!this.#ops.isActive() || !this.#ops.ctx.topicsToDelete.has(topic)) return;
    await this.#ops.zk.deleteTopic(this.#ops.fence(), topic);
    this.#ops.ctx.removeTopic(topic);
    this.#sent.delete(topic);
    this.#ops.logger.info('deleted topic', { topic });
  }
}
