import type { KafkaZkClient, RegisteredBroker as ZkRegisteredBroker } from '../zk/kafka-zk-client.js';
import { newTopicId } from '../zk/codecs/uuid.js';
import { ZkBadVersionError, ZkNoNodeError } from '../zk/zk-errors.js';
import { ZkPaths } from '../zk/paths.js';
import type { AdminZk } from './admin-zk.js';
import type { LiveBroker } from './controller-requests.js';
import { StaleZkVersionError } from './controller/controller-zk.js';
import type {
  ControllerFence,
  ControllerZk,
  PartitionStateUpdate,
  PartitionStateWrite,
  PartitionWriteResult,
  RegisteredBroker,
  TopicAssignment,
  TopicPartitionRef,
  ZkPartitionState,
  ZkReassignment,
} from './controller/controller-zk.js';
import {
  deletePreferredReplicaElection,
  getPartitionReassignment,
  getPreferredReplicaElection,
  setOrDeletePartitionReassignment,
} from '../zk/kafka-zk-admin-nodes.js';

function toLiveBroker(b: ZkRegisteredBroker): RegisteredBroker {
  const broker: LiveBroker = {
    id: b.id,
    rack: b.registration.rack,
    endpoints: b.registration.endpoints.map((e) => ({ listener: e.listener, host: e.host, port: e.port, securityProtocol: e.securityProtocol })),
  };
  return { id: b.id, epoch: Number(b.epoch), broker };
}

/** A failed conditional write of a partition state as the controller sees it: stale version, or the error itself. */
function staleOr(err: unknown, topic: string, partition: number): Error {
  if (err instanceof ZkBadVersionError || err instanceof ZkNoNodeError) return new StaleZkVersionError(ZkPaths.partitionState(topic, partition));
  return err instanceof Error ? err : new Error(String(err));
}

const once = (fn: () => void) => () => fn();
const copyMap = (m: ReadonlyMap<number, readonly number[]>): Map<number, number[]> => new Map([...m].map(([p, r]) => [p, [...r]]));

/** The controller's and the admin manager's view of ZooKeeper, on top of the Kafka-specific ZooKeeper client. */
export class ZkAdapter implements ControllerZk, AdminZk {
  readonly #zk: KafkaZkClient;

  constructor(zk: KafkaZkClient) {
    this.#zk = zk;
  }

  controllerId(watch: () => void): Promise<number | null> {
    return this.#zk.getControllerId(once(watch));
  }

  async tryElect(brokerId: number): Promise<ControllerFence | null> {
    try {
      const fence = await this.#zk.registerControllerAndIncrementEpoch(brokerId);
      if (fence !== null) await this.#zk.writeFeatureZNode();
      return fence;
    } catch (err) {
      if (err instanceof Error && err.name === 'ControllerMovedError') return null;
      throw err;
    }
  }

  async resign(): Promise<void> {
    await this.#zk.deleteControllerIfOwned();
  }

  /**
   * Live brokers, with a child watch on /brokers/ids. Registration is two steps here (create without data, then
   * setData: the client has no multi-op), so a node read between them has no data and is not live yet; it gets a
   * data watch so that the setData, which changes no child, still reaches the controller.
   */
  async brokers(watch: () => void): Promise<RegisteredBroker[]> {
    let fired = false;
    const fireOnce = (): void => {
      if (fired) return;
      fired = true;
      watch();
    };
    const ids = await this.#zk.getBrokerIds(fireOnce);
    const found = await Promise.all(ids.map(async (id) => (await this.#zk.getBroker(id)) ?? (await this.#zk.getBroker(id, fireOnce))));
    return found.filter((b): b is ZkRegisteredBroker => b !== null).map(toLiveBroker);
  }

  topics(watch: () => void): Promise<string[]> {
    return this.#zk.getAllTopics(once(watch));
  }

  async assignment(topic: string, watch?: () => void): Promise<TopicAssignment | null> {
    const a = await this.#zk.getTopicAssignment(topic, watch === undefined ? undefined : once(watch));
    if (a === null) return null;
    return { partitions: copyMap(a.partitions), addingReplicas: copyMap(a.addingReplicas), removingReplicas: copyMap(a.removingReplicas), topicId: a.topicId };
  }

  topicAssignment(topic: string): Promise<TopicAssignment | null> {
    return this.assignment(topic);
  }


  async setAssignment(fence: ControllerFence, topic: string, a: TopicAssignment): Promise<void> {
    const assignment = { partitions: a.partitions, addingReplicas: a.addingReplicas ?? new Map(), removingReplicas: a.removingReplicas ?? new Map(), topicId: a.topicId };
    await this.#zk.setTopicAssignment(topic, assignment, -1, fence);
  }

  async reassignments(watch?: () => void): Promise<ZkReassignment[] | null> {
    const list = await getPartitionReassignment(this.#zk.zk, watch === undefined ? undefined : once(watch));
    return list?.map((r) => ({ topic: r.topic, partition: r.partition, replicas: [...r.replicas] })) ?? null;
  }

  setReassignments(fence: ControllerFence, remaining: ZkReassignment[]): Promise<void> {
    return setOrDeletePartitionReassignment(this.#zk.zk, fence, remaining);
  }

  async preferredElection(watch: () => void): Promise<TopicPartitionRef[] | null> {
    const list = await getPreferredReplicaElection(this.#zk.zk, once(watch));
    return list?.map((r) => ({ topic: r.topic, partition: r.partition })) ?? null;
  }

  removePreferredElection(fence: ControllerFence): Promise<void> {
    return deletePreferredReplicaElection(this.#zk.zk, fence);
  }

  newTopicId(): string {
    return newTopicId();
  }

  async partitionState(topic: string, partition: number): Promise<{ state: ZkPartitionState; zkVersion: number } | null> {
    const s = await this.#zk.getPartitionState(topic, partition);
    if (s === null) return null;
    return { state: { controllerEpoch: s.state.controllerEpoch, leader: s.state.leader, leaderEpoch: s.state.leaderEpoch, isr: [...s.state.isr] }, zkVersion: s.zkVersion };
  }

  async createPartitionStates(fence: ControllerFence, writes: PartitionStateWrite[]): Promise<PartitionWriteResult[]> {
    const results = await this.#zk.createPartitionStates(fence, writes.map((w) => ({ topic: w.topic, partition: w.partition, state: { ...w.state, leaderRecoveryState: 0 } })));
    return results.map((r) => (r.error === null ? { zkVersion: r.zkVersion, error: null } : { zkVersion: null, error: r.error }));
  }

  async updatePartitionStates(fence: ControllerFence, updates: PartitionStateUpdate[]): Promise<PartitionWriteResult[]> {
    const results = await this.#zk.updatePartitionStates(
      fence,
      updates.map((u) => ({ topic: u.topic, partition: u.partition, state: { ...u.state, leaderRecoveryState: 0 }, expectedZkVersion: u.expectedZkVersion })),
    );
    return results.map((r) => (r.error === null ? { zkVersion: r.zkVersion, error: null } : { zkVersion: null, error: staleOr(r.error, r.topic, r.partition) }));
  }

  topicsToDelete(watch: () => void): Promise<string[]> {
    return this.#zk.getTopicsMarkedForDeletion(once(watch));
  }

  removeDeletionMarker(fence: ControllerFence, topic: string): Promise<void> {
    return this.#zk.deleteTopicDeletionMarkers(fence, [topic]);
  }

  deleteTopic(fence: ControllerFence, topic: string): Promise<void> {
    return this.#zk.deleteTopicZnodes(fence, topic);
  }

  topicConfig(topic: string): Promise<Record<string, string>> {
    return this.#zk.getEntityConfig('topics', topic);
  }

  async isMarkedForDeletion(topic: string): Promise<boolean> {
    return (await this.#zk.getTopicsMarkedForDeletion()).includes(topic);
  }

  async createTopic(topic: string, partitions: Map<number, number[]>, configs: Record<string, string>, topicId: string): Promise<void> {
    await this.#zk.createTopic(topic, partitions, configs, topicId);
  }

  /** Adding partitions keeps the reassignment state of existing ones; conditional on the version read. */
  async setTopicPartitions(topic: string, partitions: Map<number, number[]>, topicId: string | null): Promise<void> {
    const current = await this.#zk.getTopicAssignment(topic);
    const addingReplicas = current?.addingReplicas ?? new Map();
    const removingReplicas = current?.removingReplicas ?? new Map();
    await this.#zk.setTopicAssignment(topic, { partitions, addingReplicas, removingReplicas, topicId }, current?.zkVersion ?? -1);
  }

  async markForDeletion(topic: string): Promise<void> {
    await this.#zk.markTopicForDeletion(topic);
  }

  async setTopicConfig(topic: string, config: Record<string, string>): Promise<void> {
    await this.#zk.setEntityConfig('topics', topic, config);
    await this.#zk.createConfigChangeNotification(`topics/${topic}`);
  }
}
