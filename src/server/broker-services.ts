import type { AdminManager } from '../cluster/admin-manager.js';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator.js';
import type { OffsetsTopic } from '../coordinator/offsets-topic.js';
import type { Controller } from '../cluster/controller/controller.js';
import type { MetadataCache } from '../cluster/metadata-cache.js';
import type { ReplicaManager } from '../cluster/replica-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { TopicConfigManager } from '../cluster/topic-config-manager.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/** What request handlers may use; everything else stays behind these modules. */
export interface BrokerServices {
  brokerId: number;
  clusterId: string;
  config: BrokerConfig;
  clock: Clock;
  logger: Logger;
  metadataCache: MetadataCache;
  replicaManager: ReplicaManager;
  controller: Controller;
  admin: AdminManager;
  topicConfigs: TopicConfigManager;
  groupCoordinator: GroupCoordinator;
  offsetsTopic: OffsetsTopic;
}
