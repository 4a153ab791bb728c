import type { Logger } from '../../util/logger.js';
import type { PartitionEntry } from './controller-context.js';

/**
 * The controller's 'leadership changed' line: one entry per topic and new leader naming its partitions, so that
 * moving 10,000 partitions writes a short line instead of 10,000 objects; each partition's epoch and ISR at debug.
 */
export function logLeadershipChanged(logger: Logger, changed: readonly PartitionEntry[]): void {
  const groups = new Map<string, { topic: string; leader: number; partitions: number[] }>();
  for (const e of changed) {
    const leader = e.state?.leader ?? -1;
    const key = `${leader} ${e.topic}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { topic: e.topic, leader, partitions: [] }));
    g.partitions.push(e.partition);
  }
  logger.info('leadership changed', { count: changed.length, leaders: [...groups.values()] });
  if (logger.isDebugEnabled()) {
    logger.debug('leadership changed', {
      partitions: changed.map((e) => ({ topic: e.topic, partition: e.partition, leader: e.state?.leader, leaderEpoch: e.state?.leaderEpoch, isr: e.state?.isr })),
    });
  }
}
