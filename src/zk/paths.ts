/**
 * Every znode Kafka's ZooKeeper mode uses (ZkData.scala), relative to the chroot.
 * Names are used as given: callers sanitize user/client entity names the way Kafka does (URL-encoding).
 */
export const ConfigType = {
  TOPIC: 'topics',
  BROKER: 'brokers',
  USER: 'users',
  CLIENT: 'clients',
  IP: 'ips',
} as const;
export type ConfigType = (typeof ConfigType)[keyof typeof ConfigType];

/** The entity name of default configs (`/config/brokers/<default>`). */
export const DEFAULT_ENTITY_NAME = '<default>';

export const CONFIG_CHANGE_PREFIX = 'config_change_';
export const ISR_CHANGE_PREFIX = 'isr_change_';
export const LOG_DIR_EVENT_PREFIX = 'log_dir_event_';
export const ACL_CHANGE_PREFIX = 'acl_changes_';

export const ZkPaths = {
  clusterId: '/cluster/id',
  controller: '/controller',
  controllerEpoch: '/controller_epoch',
  feature: '/feature',
  consumers: '/consumers',

  brokers: '/brokers',
  brokerIds: '/brokers/ids',
  broker: (brokerId: number) => `/brokers/ids/${brokerId}`,
  brokerSequenceId: '/brokers/seqid',
  topics: '/brokers/topics',
  topic: (topic: string) => `/brokers/topics/${topic}`,
  topicPartitions: (topic: string) => `/brokers/topics/${topic}/partitions`,
  topicPartition: (topic: string, partition: number) => `/brokers/topics/${topic}/partitions/${partition}`,
  partitionState: (topic: string, partition: number) => `/brokers/topics/${topic}/partitions/${partition}/state`,

  config: '/config',
  configEntityType: (type: ConfigType) => `/config/${type}`,
  configEntity: (type: ConfigType, name: string) => `/config/${type}/${name}`,
  configChanges: '/config/changes',
  configChange: (name: string) => `/config/changes/${name}`,

  admin: '/admin',
  deleteTopics: '/admin/delete_topics',
  deleteTopic: (topic: string) => `/admin/delete_topics/${topic}`,
  reassignPartitions: '/admin/reassign_partitions',
  preferredReplicaElection: '/admin/preferred_replica_election',

  isrChangeNotification: '/isr_change_notification',
  isrChange: (name: string) => `/isr_change_notification/${name}`,
  logDirEventNotification: '/log_dir_event_notification',
  logDirEvent: (name: string) => `/log_dir_event_notification/${name}`,
  latestProducerIdBlock: '/latest_producer_id_block',

  aclLiteral: (resourceType: string, name: string) => `/kafka-acl/${resourceType}/${name}`,
  aclChanges: '/kafka-acl-changes',
  aclPrefixed: (resourceType: string, prefix: string) => `/kafka-acl-extended/prefixed/${resourceType}/${prefix}`,
  aclExtendedChanges: '/kafka-acl-extended-changes',
  delegationTokens: '/delegation_token/tokens',
  delegationTokenChanges: '/delegation_token/token_changes',
} as const;

/** Created empty and persistent at every broker start (ZkData.PersistentZkPaths). */
export const PERSISTENT_PATHS: readonly string[] = [
  ZkPaths.consumers,
  ZkPaths.brokerIds,
  ZkPaths.topics,
  ZkPaths.brokerSequenceId,
  ZkPaths.configChanges,
  ...Object.values(ConfigType).map((t) => ZkPaths.configEntityType(t)),
  ZkPaths.deleteTopics,
  ZkPaths.isrChangeNotification,
  ZkPaths.latestProducerIdBlock,
  ZkPaths.logDirEventNotification,
];

/** The entity path a config change notification carries: `topics/my-topic`, `brokers/<default>`. */
export function configEntityPath(type: ConfigType, name: string): string {
  return `${type}/${name}`;
}

/** The sequence number of a sequential znode name (`config_change_0000000042` -> 42). */
export function sequenceNumber(name: string, prefix: string): number {
  if (!name.startsWith(prefix)) throw new Error(`znode '${name}' does not start with '${prefix}'`);
  const n = Number(name.slice(prefix.length));
  if (!Number.isInteger(n) || n < 0) throw new Error(`znode '${name}' has no sequence number`);
  return n;
}
