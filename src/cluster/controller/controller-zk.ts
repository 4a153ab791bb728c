import type { LiveBroker } from '../controller-requests.js';

/** The controller's fencing token: its epoch and the data version of /controller_epoch that it wrote. */
export interface ControllerFence {
  epoch: number;
  epochZkVersion: number;
}

/** Contents of a partition `state` znode. */
export interface ZkPartitionState {
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

export interface RegisteredBroker {
  id: number;
  /** czxid of /brokers/ids/<id>. */
  epoch: number;
  broker: LiveBroker;
}

export interface TopicAssignment {
  partitions: Map<number, number[]>;
  topicId: string | null;
}

/**
 * What the controller needs from ZooKeeper. Every write takes the fence: a write after another controller
 * incremented /controller_epoch is rejected with ControllerMovedError.
 */
export interface ControllerZk {
  controllerId(watch: () => void): Promise<number | null>;
  tryElect(brokerId: number): Promise<ControllerFence | null>;
  resign(brokerId: number): Promise<void>;
  brokers(watch: () => void): Promise<RegisteredBroker[]>;
  topics(watch: () => void): Promise<string[]>;
  assignment(topic: string, watch: () => void): Promise<TopicAssignment | null>;
  setTopicId(fence: ControllerFence, topic: string, partitions: Map<number, number[]>, topicId: string): Promise<void>;
  newTopicId(): string;
  partitionState(topic: string, partition: number): Promise<{ state: ZkPartitionState; zkVersion: number } | null>;
  createPartitionState(fence: ControllerFence, topic: string, partition: number, state: ZkPartitionState): Promise<number>;
  /** Conditional on `expectedZkVersion`; throws StaleZkVersionError when it does not match. */
  updatePartitionState(fence: ControllerFence, topic: string, partition: number, state: ZkPartitionState, expectedZkVersion: number): Promise<number>;
  topicsToDelete(watch: () => void): Promise<string[]>;
  removeDeletionMarker(fence: ControllerFence, topic: string): Promise<void>;
  deleteTopic(fence: ControllerFence, topic: string): Promise<void>;
  topicConfig(topic: string): Promise<Record<string, string>>;
}

export class StaleZkVersionError extends Error {
  constructor(path: string) {
    super(`znode ${path} changed under us (stale zkVersion)`);
    this.name = 'StaleZkVersionError';
  }
}
