import { StaleZkVersionError } from '../../../src/cluster/controller/controller-zk.js';
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
} from '../../../src/cluster/controller/controller-zk.js';

/** An in-memory ControllerZk for controller unit tests: one-shot watches, conditional writes, an epoch fence. */
export class FakeControllerZk implements ControllerZk {
  controller: number | null = null;
  epoch = 0;
  epochVersion = 0;
  brokerList: RegisteredBroker[] = [];
  assignments = new Map<string, TopicAssignment>();
  states = new Map<string, { state: ZkPartitionState; zkVersion: number }>();
  deletions: string[] = [];
  topicConfigs = new Map<string, Record<string, string>>();
  /** /admin/reassign_partitions and /admin/preferred_replica_election; null = absent. */
  reassignNode: ZkReassignment[] | null = null;
  preferredNode: TopicPartitionRef[] | null = null;
  /** Every topic znode write, in order. */
  assignmentWrites: { topic: string; assignment: TopicAssignment }[] = [];
  #watches = new Map<string, (() => void)[]>();

  #watch(key: string, fn: () => void): void {
    const list = this.#watches.get(key) ?? [];
    list.push(fn);
    this.#watches.set(key, list);
  }

  fire(key: string): void {
    const list = this.#watches.get(key) ?? [];
    this.#watches.delete(key);
    for (const fn of list) fn();
  }

  #check(fence: ControllerFence): void {
    if (fence.epochZkVersion !== this.epochVersion) throw new Error('ControllerMovedError');
  }

  async controllerId(watch: () => void) {
    this.#watch('controller', watch);
    return this.controller;
  }
  async tryElect(brokerId: number) {
    if (this.controller !== null) return null;
    this.controller = brokerId;
    this.epoch++;
    this.epochVersion++;
    return { epoch: this.epoch, epochZkVersion: this.epochVersion };
  }
  async resign() {}
  async brokers(watch: () => void) {
    this.#watch('brokers', watch);
    return this.brokerList;
  }
  async topics(watch: () => void) {
    this.#watch('topics', watch);
    return [...this.assignments.keys()];
  }
  async assignment(topic: string, watch: () => void) {
    this.#watch(`topic:${topic}`, watch);
    return this.assignments.get(topic) ?? null;
  }
  async setAssignment(fence: ControllerFence, topic: string, assignment: TopicAssignment) {
    this.#check(fence);
    this.assignments.set(topic, assignment);
    this.assignmentWrites.push({ topic, assignment });
  }
  async reassignments(watch?: () => void) {
    if (watch !== undefined) this.#watch('reassign', watch);
    return this.reassignNode === null ? null : this.reassignNode.map((r) => ({ ...r, replicas: [...r.replicas] }));
  }
  async setReassignments(fence: ControllerFence, remaining: ZkReassignment[]) {
    this.#check(fence);
    this.reassignNode = remaining.length === 0 ? null : remaining;
    this.fire('reassign');
  }
  async preferredElection(watch: () => void) {
    this.#watch('preferred', watch);
    return this.preferredNode;
  }
  async removePreferredElection(fence: ControllerFence) {
    this.#check(fence);
    this.preferredNode = null;
    this.fire('preferred');
  }
  newTopicId() {
    return 'AAAAAAAAAAAAAAAAAAAAAQ';
  }
  async partitionState(topic: string, partition: number) {
    return this.states.get(`${topic}/${partition}`) ?? null;
  }
  async createPartitionStates(fence: ControllerFence, writes: PartitionStateWrite[]): Promise<PartitionWriteResult[]> {
    this.#check(fence);
    return writes.map(({ topic, partition, state }) => {
      if (this.states.has(`${topic}/${partition}`)) return { zkVersion: null, error: new Error('NodeExists') };
      this.states.set(`${topic}/${partition}`, { state, zkVersion: 0 });
      return { zkVersion: 0, error: null };
    });
  }
  async updatePartitionStates(fence: ControllerFence, updates: PartitionStateUpdate[]): Promise<PartitionWriteResult[]> {
    this.#check(fence);
    const results: PartitionWriteResult[] = [];
    for (const u of updates) {
      try {
        results.push({ zkVersion: this.#update(u.topic, u.partition, u.state, u.expectedZkVersion), error: null });
      } catch (err) {
        results.push({ zkVersion: null, error: err as Error });
      }
    }
    return results;
  }
  #update(topic: string, partition: number, state: ZkPartitionState, expected: number): number {
    const cur = this.states.get(`${topic}/${partition}`);
    if (cur === undefined || cur.zkVersion !== expected) throw new StaleZkVersionError(`${topic}/${partition}`);
    this.states.set(`${topic}/${partition}`, { state, zkVersion: expected + 1 });
    return expected + 1;
  }
  async topicsToDelete(watch: () => void) {
    this.#watch('deletions', watch);
    return this.deletions;
  }
  async removeDeletionMarker(_fence: ControllerFence, topic: string) {
    this.deletions = this.deletions.filter((t) => t !== topic);
  }
  async deleteTopic(fence: ControllerFence, topic: string) {
    this.#check(fence);
    this.assignments.delete(topic);
    for (const k of [...this.states.keys()]) if (k.startsWith(`${topic}/`)) this.states.delete(k);
    this.deletions = this.deletions.filter((t) => t !== topic);
  }
  async topicConfig(topic: string) {
    return this.topicConfigs.get(topic) ?? {};
  }
}

export function broker(id: number, epoch = id * 100): RegisteredBroker {
  return { id, epoch, broker: { id, rack: null, endpoints: [{ listener: 'PLAINTEXT', host: '127.0.0.1', port: 9000 + id, securityProtocol: 'PLAINTEXT' }] } };
}
