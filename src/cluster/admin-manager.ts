import { validateTopicConfigs } from '../config/topic-config.js';
import type { Clock } from '../util/clock.js';
import { StreamkeeperError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { AdminZk } from './admin-zk.js';
import type { MetadataCache } from './metadata-cache.js';
import { assignNewPartitions, assignReplicasToBrokers } from './replica-assignment.js';
import { validateTopicName } from './topic-names.js';

export interface CreateTopicSpec {
  name: string;
  /** -1: num.partitions. Ignored when `assignments` is given. */
  numPartitions: number;
  /** -1: default.replication.factor. */
  replicationFactor: number;
  assignments: Map<number, number[]> | null;
  configs: Record<string, string>;
}

export interface AdminDefaults {
  numPartitions: number;
  defaultReplicationFactor: number;
  deleteTopicEnable: boolean;
}

export const CONFIG_OPERATION = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

const fail = (name: string, message: string): never => {
  throw new StreamkeeperError(name, message);
};

/**
 * Topic administration in ZooKeeper mode (Kafka's ZkAdminManager / AdminZkClient): validates, computes replica
 * assignments and writes the topic znodes; the controller then notices the change and elects leaders.
 */
export class AdminManager {
  readonly #zk: AdminZk;
  readonly #cache: MetadataCache;
  readonly #defaults: AdminDefaults;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(opts: { zk: AdminZk; metadataCache: MetadataCache; defaults: AdminDefaults; clock: Clock; logger: Logger }) {
    this.#zk = opts.zk;
    this.#cache = opts.metadataCache;
    this.#defaults = opts.defaults;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
  }

  #liveBrokerIds(): number[] {
    return this.#cache.liveBrokers().map((b) => b.id).sort((a, b) => a - b);
  }

  /** Validates and (unless validateOnly) writes a new topic. Returns the partition count and replication factor used. */
  async createTopic(spec: CreateTopicSpec, validateOnly: boolean): Promise<{ numPartitions: number; replicationFactor: number }> {
    validateTopicName(spec.name);
    try {
      validateTopicConfigs(spec.configs);
    } catch (err) {
      fail('INVALID_CONFIG', err instanceof Error ? err.message : String(err));
    }
    let assignment: Map<number, number[]>;
    if (spec.assignments !== null && spec.assignments.size > 0) {
      if (spec.numPartitions !== -1 || spec.replicationFactor !== -1) {
        fail('INVALID_REQUEST', 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
      }
      assignment = spec.assignments;
      this.#validateAssignment(assignment);
    } else {
      const partitions = spec.numPartitions === -1 ? this.#defaults.numPartitions : spec.numPartitions;
      const rf = spec.replicationFactor === -1 ? this.#defaults.defaultReplicationFactor : spec.replicationFactor;
      if (partitions <= 0) fail('INVALID_PARTITIONS', `Number of partitions was set to an invalid non-positive value.`);
      if (rf <= 0) fail('INVALID_REPLICATION_FACTOR', `Replication factor must be larger than 0.`);
      const brokers = this.#liveBrokerIds();
      if (rf > brokers.length) {
        fail('INVALID_REPLICATION_FACTOR', `Replication factor: ${rf} larger than available brokers: ${brokers.length}.`);
      }
      assignment = assignReplicasToBrokers(brokers, partitions, rf);
    }
    if (await this.#zk.isMarkedForDeletion(spec.name)) fail('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' is marked for deletion.`);
    if ((await this.#zk.topicAssignment(spec.name)) !== null) fail('TOPIC_ALREADY_EXISTS', `Topic '${spec.name}' already exists.`);
    const first = assignment.get(0) ?? [...assignment.values()][0] ?? [];
    const result = { numPartitions: assignment.size, replicationFactor: first.length };
    if (validateOnly) return result;
    await this.#zk.createTopic(spec.name, assignment, spec.configs, this.#zk.newTopicId());
    this.#logger.info('created topic', { topic: spec.name, partitions: result.numPartitions, replicationFactor: result.replicationFactor });
    return result;
  }

  #validateAssignment(assignment: Map<number, number[]>): void {
    const live = new Set(this.#liveBrokerIds());
    const ids = [...assignment.keys()].sort((a, b) => a - b);
    ids.forEach((p, i) => {
      if (p !== i) fail('INVALID_REPLICA_ASSIGNMENT', 'Partitions should be a consecutive 0-based integer sequence');
    });
    let rf = -1;
    for (const [p, replicas] of assignment) {
      if (replicas.length === 0) fail('INVALID_REPLICA_ASSIGNMENT', `Replica assignment of partition ${p} is empty`);
      if (new Set(replicas).size !== replicas.length) fail('INVALID_REPLICA_ASSIGNMENT', `Duplicate replica assignment for partition ${p}`);
      if (rf !== -1 && replicas.length !== rf) fail('INVALID_REPLICA_ASSIGNMENT', 'All partitions should have the same number of replicas');
      rf = replicas.length;
      for (const r of replicas) if (!live.has(r)) fail('INVALID_REPLICA_ASSIGNMENT', `Unknown broker ${r} in the replica assignment of partition ${p}`);
    }
  }

  /** Creates a topic with the broker defaults, as Metadata does when auto.create.topics.enable is set. */
  async autoCreateTopic(name: string): Promise<void> {
    try {
      await this.createTopic({ name, numPartitions: -1, replicationFactor: -1, assignments: null, configs: {} }, false);
    } catch (err) {
      if (err instanceof StreamkeeperError && err.kafkaError === 'TOPIC_ALREADY_EXISTS') return;
      throw err;
    }
  }

  async deleteTopic(name: string): Promise<void> {
    if (!this.#defaults.deleteTopicEnable) fail('TOPIC_DELETION_DISABLED', 'Topic deletion is disabled.');
    if ((await this.#zk.topicAssignment(name)) === null) fail('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');
    await this.#zk.markForDeletion(name);
    this.#logger.info('marked topic for deletion', { topic: name });
  }

  async createPartitions(name: string, count: number, assignments: number[][] | null, validateOnly: boolean): Promise<void> {
    const current = await this.#zk.topicAssignment(name);
    if (current === null) return fail('UNKNOWN_TOPIC_OR_PARTITION', `The topic '${name}' does not exist.`);
    if (await this.#zk.isMarkedForDeletion(name)) fail('INVALID_TOPIC_EXCEPTION', `The topic '${name}' is queued for deletion.`);
    const existing = current.partitions.size;
    if (count <= existing) {
      fail('INVALID_PARTITIONS', `Topic currently has ${existing} partitions, which is higher than the requested ${count}.`);
    }
    const brokers = this.#liveBrokerIds();
    let next: Map<number, number[]>;
    if (assignments !== null) {
      if (assignments.length !== count - existing) {
        fail('INVALID_REPLICA_ASSIGNMENT', `Increasing the number of partitions by ${count - existing} but ${assignments.length} assignments provided.`);
      }
      next = new Map(current.partitions);
      assignments.forEach((replicas, i) => next.set(existing + i, replicas));
      this.#validateAssignment(next);
    } else {
      next = assignNewPartitions(current.partitions, brokers, count);
    }
    if (validateOnly) return;
    await this.#zk.setTopicPartitions(name, next, current.topicId);
    this.#logger.info('added partitions', { topic: name, from: existing, to: count });
  }

  async describeTopicConfig(name: string): Promise<Record<string, string>> {
    if ((await this.#zk.topicAssignment(name)) === null) return fail('UNKNOWN_TOPIC_OR_PARTITION', `Topic ${name} does not exist.`);
    return this.#zk.topicConfig(name);
  }

  /** AlterConfigs: the given set replaces the topic's overrides. */
  async alterTopicConfig(name: string, configs: Record<string, string>, validateOnly: boolean): Promise<void> {
    await this.describeTopicConfig(name);
    this.#validateConfigs(configs);
    if (!validateOnly) await this.#zk.setTopicConfig(name, configs);
  }

  /** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT applied to the current overrides. */
  async incrementalAlterTopicConfig(
    name: string,
    ops: { name: string; configOperation: number; value: string | null }[],
    validateOnly: boolean,
  ): Promise<void> {
    const configs = { ...(await this.describeTopicConfig(name)) };
    for (const op of ops) {
      const listOf = (v: string | undefined): string[] => (v === undefined || v === '' ? [] : v.split(','));
      switch (op.configOperation) {
        case CONFIG_OPERATION.SET:
          configs[op.name] = op.value ?? '';
          break;
        case CONFIG_OPERATION.DELETE:
          delete configs[op.name];
          break;
        case CONFIG_OPERATION.APPEND:
          configs[op.name] = [...new Set([...listOf(configs[op.name]), ...listOf(op.value ?? undefined)])].join(',');
          break;
        case CONFIG_OPERATION.SUBTRACT: {
          const remove = new Set(listOf(op.value ?? undefined));
          configs[op.name] = listOf(configs[op.name]).filter((v) => !remove.has(v)).join(',');
          break;
        }
        default:
          fail('INVALID_REQUEST', `Unknown config operation ${op.configOperation} for ${op.name}`);
      }
    }
    this.#validateConfigs(configs);
    if (!validateOnly) await this.#zk.setTopicConfig(name, configs);
  }

  #validateConfigs(configs: Record<string, string>): void {
    try {
      validateTopicConfigs(configs);
    } catch (err) {
      fail('INVALID_CONFIG', err instanceof Error ? err.message : String(err));
    }
  }

  /** Waits until `ready()` holds, re-checking on every metadata update, at most `timeoutMs`. */
  waitForMetadata(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      let done = false;
      const finish = (ok: boolean): void => {
        if (done) return;
        done = true;
        unsubscribe();
        cancel();
        resolve(ok);
      };
      const unsubscribe = this.#cache.onUpdate(() => {
        if (ready()) finish(true);
      });
      const cancel = this.#clock.schedule(timeoutMs, () => finish(ready()));
    });
  }
}
