import type { Logger } from '../util/logger.js';
import type { LeaderAndIsrPartition, LeaderAndIsrRequest } from './controller-requests.js';
import type { Partition } from './partition.js';
import type { LeadershipChange } from './replica-manager.js';

/** What applying one partition of a LeaderAndIsr did. */
export interface PartitionStateOutcome {
  readonly state: LeaderAndIsrPartition;
  readonly errorCode: number;
  /** Set when the state was applied (its leader epoch was newer than ours). */
  readonly role?: 'leader' | 'follower';
  /** Leadership here began or ended. */
  readonly leadership?: LeadershipChange;
  /** Now follows a live leader: the partition to hand to the replica fetchers. */
  readonly following?: Partition;
}

/**
 * The log lines of one applied LeaderAndIsr: at info, one 'became leader' / 'became follower' line per topic and
 * leader naming its partitions (thousands of partitions cost a few lines, not one line each); at debug, every
 * partition's leader epoch and ISR.
 */
export function logLeaderAndIsr(logger: Logger, req: LeaderAndIsrRequest, outcomes: readonly PartitionStateOutcome[]): void {
  const groups = new Map<string, { role: 'leader' | 'follower'; topic: string; leader: number; partitions: number[] }>();
  const debug = logger.isDebugEnabled();
  for (const o of outcomes) {
    if (o.role === undefined) continue;
    const { topic, partition, leader, leaderEpoch, isr } = o.state;
    if (debug) logger.debug(o.role === 'leader' ? 'became leader' : 'became follower', { topic, partition, leader, leaderEpoch, isr });
    const key = `${o.role} ${leader} ${topic}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { role: o.role, topic, leader, partitions: [] }));
    g.partitions.push(partition);
  }
  for (const g of groups.values()) {
    logger.info(g.role === 'leader' ? 'became leader' : 'became follower', { topic: g.topic, leader: g.leader, count: g.partitions.length, partitions: g.partitions });
  }
  const failed = outcomes.filter((o) => o.errorCode !== 0).length;
  if (outcomes.length > 1 || failed > 0) {
    logger.info('applied LeaderAndIsr', { controllerId: req.controllerId, controllerEpoch: req.controllerEpoch, partitions: outcomes.length, changed: outcomes.filter((o) => o.role !== undefined).length, failed });
  }
}
