import type { AdminManager } from '../cluster/admin-manager.js';
import type { MetadataCache } from '../cluster/metadata-cache.js';
import type { LeadershipChange, ReplicaManager } from '../cluster/replica-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { GroupCoordinator } from './group/group-coordinator.js';
import { OffsetsTopic } from './offsets-topic.js';
import { OFFSETS_TOPIC } from '../cluster/topic-names.js';
import { ReplicaCoordinatorLog } from './replica-coordinator-log.js';

export interface GroupCoordination {
  groupCoordinator: GroupCoordinator;
  offsetsTopic: OffsetsTopic;
  shutdown(): void;
}

/**
 * Builds the group coordinator from the broker's settings and keeps it following this broker's leadership of
 * `__consumer_offsets` partitions (Kafka's onLeadershipChange → onElection / onResignation).
 */
export function startGroupCoordination(opts: {
  config: BrokerConfig;
  replicaManager: ReplicaManager;
  admin: AdminManager;
  metadataCache: MetadataCache;
  clock: Clock;
  logger: Logger;
}): GroupCoordination {
  const { config, replicaManager, clock, logger } = opts;
  const log = new ReplicaCoordinatorLog({
    replicaManager,
    commitTimeoutMs: config.get('offsets.commit.timeout.ms'),
    loadBufferBytes: config.get('offsets.load.buffer.size'),
    now: () => clock.now(),
    logger,
  });
  const groupCoordinator = new GroupCoordinator({
    config: {
      offsetsTopicPartitions: config.get('offsets.topic.num.partitions'),
      groupMinSessionTimeoutMs: config.get('group.min.session.timeout.ms'),
      groupMaxSessionTimeoutMs: config.get('group.max.session.timeout.ms'),
      groupMaxSize: config.get('group.max.size'),
      groupInitialRebalanceDelayMs: config.get('group.initial.rebalance.delay.ms'),
      offsetsRetentionMs: config.get('offsets.retention.minutes') * 60_000,
      offsetsRetentionCheckIntervalMs: config.get('offsets.retention.check.interval.ms'),
      offsetMetadataMaxBytes: config.get('offset.metadata.max.bytes'),
    },
    log,
    clock,
    logger,
  });
  const offsetsTopic = new OffsetsTopic({
    settings: {
      numPartitions: config.get('offsets.topic.num.partitions'),
      replicationFactor: config.get('offsets.topic.replication.factor'),
      segmentBytes: config.get('offsets.topic.segment.bytes'),
    },
    admin: opts.admin,
    metadataCache: opts.metadataCache,
    logger,
  });

  replicaManager.onLeadershipChange(followOffsetsLeadership(groupCoordinator, logger));
  groupCoordinator.startup();
  return {
    groupCoordinator,
    offsetsTopic,
    shutdown: () => groupCoordinator.shutdown(),
  };
}

/**
 * The leadership listener (Kafka's onLeadershipChange): every LeaderAndIsr that leaves this broker leading an offsets
 * partition is an election, which loads it unless it is already loaded or loading (then only the epoch moves), and
 * retries a load that failed; losing leadership unloads it.
 */
export function followOffsetsLeadership(
  coordinator: Pick<GroupCoordinator, 'onElection' | 'onResignation'>,
  logger: Logger,
): (changes: readonly LeadershipChange[]) => void {
  const led = new Set<number>();
  return (changes) => {
    for (const c of changes) {
      if (c.topic !== OFFSETS_TOPIC) continue;
      if (c.isLeader) {
        led.add(c.partition);
        coordinator.onElection(c.partition, c.leaderEpoch).catch((err: unknown) => {
          logger.error('loading an offsets partition failed', { partition: c.partition, leaderEpoch: c.leaderEpoch, err: String(err) });
        });
      } else if (led.delete(c.partition)) {
        coordinator.onResignation(c.partition, c.leaderEpoch);
      }
    }
  };
}
