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
  /** Only partitions being reassigned appear in these two (topic znode v2+ `adding_replicas`/`removing_replicas`). */
  addingReplicas?: Map<number, number[]>;
  removingReplicas?: Map<number, number[]>;
  topicId: string | null;
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface PartitionStateWrite extends TopicPartitionRef {
  state: ZkPartitionState;
}

export interface PartitionStateUpdate extends PartitionStateWrite {
  expectedZkVersion: number;
}

/**
 * Outcome of one write of a batch: the node's new zkVersion, or the error. For updates a StaleZkVersionError
 * means the expected version did not match (or the node is gone).
 */
export type PartitionWriteResult = { zkVersion: number; error: null } | { zkVersion: null; error: Error };

export interface ZkReassignment extends TopicPartitionRef {
  replicas: number[];
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
  newTopicId(): string;
  partitionState(topic: string, partition: number): Promise<{ state: ZkPartitionState; zkVersion: number } | null>;
  /**
   * Creates many state znodes (and their parents), pipelined; results in the order of `writes`. Throws only when
   * fenced (ControllerMovedError); other failures (e.g. the node exists) are per write.
   */
  createPartitionStates(fence: ControllerFence, writes: PartitionStateWrite[]): Promise<PartitionWriteResult[]>;
  /**
   * Many conditional updates, pipelined; results in the order of `updates`, a StaleZkVersionError for each whose
   * expected version did not match. Throws only when fenced (ControllerMovedError).
   */
  updatePartitionStates(fence: ControllerFence, updates: PartitionStateUpdate[]): Promise<PartitionWriteResult[]>;
  topicsToDelete(watch: () => void): Promise<string[]>;
  removeDeletionMarker(fence: ControllerFence, topic: string): Promise<void>;
  deleteTopic(fence: ControllerFence, topic: string): Promise<void>;
  topicConfig(topic: string): Promise<Record<string, string>>;
  /** Rewrites /brokers/topics/<t> with replicas and adding/removing replicas (reassignment), fenced. */
  setAssignment(fence: ControllerFence, topic: string, assignment: TopicAssignment): Promise<void>;
  /** /admin/reassign_partitions, or null when absent; `watch` is an existence watch. */
  reassignments(watch?: () => void): Promise<ZkReassignment[] | null>;
  /** Rewrites /admin/reassign_partitions with what is left, deleting it when empty (fenced). */
  setReassignments(fence: ControllerFence, remaining: ZkReassignment[]): Promise<void>;
  /** /admin/preferred_replica_election ([] = every partition), or null when absent; `watch` is an existence watch. */
  preferredElection(watch: () => void): Promise<TopicPartitionRef[] | null>;
  removePreferredElection(fence: ControllerFence): Promise<void>;
}

/** How many ZooKeeper requests the controller keeps in flight for bulk reads (failover, re-reads). */
export const ZK_READ_WINDOW = 1000;

export class StaleZkVersionError extends Error {
  constructor(path: string) {
    super(`znode ${path} changed under us (stale zkVersion)`);
    this.name = 'StaleZkVersionError';
  }
}
