/**
 * Controller-to-broker commands, the equivalents of Kafka's LeaderAndIsr, UpdateMetadata and StopReplica
 * (clients/src/main/resources/common/message/{LeaderAndIsr,UpdateMetadata,StopReplica}Request.json).
 * They travel as MessagePack over the peer channel, so they are plain data.
 */

export const CONTROLLER_COMMANDS = {
  leaderAndIsr: 'leader-and-isr',
  updateMetadata: 'update-metadata',
  stopReplica: 'stop-replica',
  controlledShutdown: 'controlled-shutdown',
  alterIsr: 'alter-isr',
} as const;

export interface ControllerHeader {
  controllerId: number;
  controllerEpoch: number;
  /** The recipient's broker epoch (czxid of its registration) as the controller knows it. */
  brokerEpoch: number;
}

export interface PartitionStateFields {
  topic: string;
  partition: number;
  /** Epoch of the controller that made the leadership decision. */
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The state znode's data version. */
  zkVersion: number;
  replicas: number[];
}

export interface LeaderAndIsrPartition extends PartitionStateFields {
  addingReplicas: number[];
  removingReplicas: number[];
  isNew: boolean;
}

export interface BrokerEndpoint {
  listener: string;
  host: string;
  port: number;
  securityProtocol: string;
}

export interface LiveBroker {
  id: number;
  endpoints: BrokerEndpoint[];
  rack: string | null;
}

export interface LeaderAndIsrRequest extends ControllerHeader {
  partitions: LeaderAndIsrPartition[];
  topicIds: Record<string, string>;
  liveLeaders: LiveBroker[];
}

export interface UpdateMetadataPartition extends PartitionStateFields {
  offlineReplicas: number[];
}

export interface UpdateMetadataRequest extends ControllerHeader {
  partitions: UpdateMetadataPartition[];
  /** Topics whose partitions are listed, with their ids. Topics being deleted carry leader -2. */
  topicIds: Record<string, string>;
  /** The full list of live brokers, every time. */
  liveBrokers: LiveBroker[];
}

export interface StopReplicaPartition {
  topic: string;
  partition: number;
  leaderEpoch: number;
  deletePartition: boolean;
}

export interface StopReplicaRequest extends ControllerHeader {
  partitions: StopReplicaPartition[];
}

export interface PartitionError {
  topic: string;
  partition: number;
  errorCode: number;
}

export interface ControllerCommandResponse {
  errorCode: number;
  partitionErrors: PartitionError[];
}

export interface ControlledShutdownRequest {
  brokerId: number;
  brokerEpoch: number;
}

export interface ControlledShutdownResponse {
  errorCode: number;
  remainingPartitions: { topic: string; partition: number }[];
}

/**
 * A leader asks the controller to record a new ISR (Kafka 2.7+'s AlterIsr). The controller checks the broker
 * epoch, the leader epoch and the state znode version, writes the state conditionally, and answers with the
 * partition's state as it now stands.
 */
export interface AlterIsrRequest {
  brokerId: number;
  brokerEpoch: number;
  partitions: { topic: string; partition: number; leaderEpoch: number; newIsr: number[]; currentIsrVersion: number }[];
}

export interface AlterIsrPartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The state znode's data version after the write. */
  currentIsrVersion: number;
}

export interface AlterIsrResponse {
  errorCode: number;
  partitions: AlterIsrPartitionResult[];
}

/** Leader value UpdateMetadata uses for partitions of a topic being deleted. */
export const LEADER_DURING_DELETE = -2;
export const NO_LEADER = -1;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Kafka's isBrokerEpochStale for the controller's commands to a broker: a LeaderAndIsr, UpdateMetadata or
 * StopReplica stamped with an earlier registration of this broker (queued before a restart or a session loss)
 * must not act on this one. -1 on either side is not checked.
 */
export function isStaleBrokerEpoch(type: string, payload: unknown, currentBrokerEpoch: number): boolean {
  if (type !== CONTROLLER_COMMANDS.leaderAndIsr && type !== CONTROLLER_COMMANDS.updateMetadata && type !== CONTROLLER_COMMANDS.stopReplica) return false;
  const epoch = (payload as { brokerEpoch?: number } | null)?.brokerEpoch ?? -1;
  return epoch >= 0 && currentBrokerEpoch >= 0 && epoch < currentBrokerEpoch;
}
