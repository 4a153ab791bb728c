import type { ZkClient, ZkWatcher } from './zk-client.js';
import { ZkNoNodeError, ZkNodeExistsError } from './zk-errors.js';
import { ControllerMovedError, TopicExistsError } from './kafka-zk-errors.js';
import type { ControllerFence, SessionBoundWrites } from './controller-fence.js';
import { fencedBatch, fencedDeleteRecursive, fencedSet } from './controller-fence.js';
import type { ConfigType } from './paths.js';
import { CONFIG_CHANGE_PREFIX, ZkPaths } from './paths.js';
import type { DecodedTopicAssignment, TopicAssignment } from './codecs/topic-assignment.js';
import { decodeTopicAssignment, encodeTopicAssignment } from './codecs/topic-assignment.js';
import type { PartitionState } from './codecs/partition-state.js';
import { decodePartitionState, encodePartitionState } from './codecs/partition-state.js';
import {
  decodeConfigChangeNotification,
  decodeEntityConfig,
  encodeConfigChangeNotification,
  encodeEntityConfig,
} from './codecs/entity-config.js';

export interface TopicAssignmentWithVersion extends DecodedTopicAssignment {
  /** The znode's data version, for conditional rewrites (setTopicAssignment). */
  readonly zkVersion: number;
}

export interface PartitionStateEntry {
  readonly topic: string;
  readonly partition: number;
  readonly state: PartitionState;
}

export interface PartitionStateUpdate extends PartitionStateEntry {
  /** The zkVersion the write is conditional on. */
  readonly expectedZkVersion: number;
}

/** Per-partition outcome of createPartitionStates and updatePartitionStates: the new zkVersion, or the failure. */
export type PartitionStateWriteResult =
  | { readonly topic: string; readonly partition: number; readonly zkVersion: number; readonly error: null }
  | { readonly topic: string; readonly partition: number; readonly zkVersion: null; readonly error: Error };

/**
 * Topic, partition-state, config and deletion operations of KafkaZkClient. Writes taking a ControllerFence are
 * epoch-checked (see controller-fence.ts).
 */
export class KafkaZkTopicClient {
  readonly #zk: ZkClient;

  constructor(zk: ZkClient) {
    this.#zk = zk;
  }

  get zk(): ZkClient {
    return this.#zk;
  }

  /** Topic names, sorted. `watcher` fires when topics are created or deleted. */
  async getAllTopics(watcher?: ZkWatcher): Promise<string[]> {
    return (await this.#zk.getChildren(ZkPaths.topics, watcher)).sort();
  }

  /** The topic's assignment, or null. `watcher` is a data watch (new partitions, reassignment, deletion). */
  async getTopicAssignment(topic: string, watcher?: ZkWatcher): Promise<TopicAssignmentWithVersion | null> {
    try {
      const { data, stat } = await this.#zk.get(ZkPaths.topic(topic), watcher);
      return { ...decodeTopicAssignment(data), zkVersion: stat.version };
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /**
   * Creates a topic like AdminZkClient.createTopicWithAssignment: /config/topics/<t> first (even when empty), then
   * /brokers/topics/<t> (v3 with topic_id). Throws TopicExistsError if the topic node exists.
   */
  async createTopic(
    topic: string,
    partitions: ReadonlyMap<number, readonly number[]>,
    configs: Readonly<Record<string, string>>,
    topicId: string,
  ): Promise<void> {
    if ((await this.#zk.exists(ZkPaths.topic(topic))) !== null) throw new TopicExistsError(topic);
    await this.setEntityConfig('topics', topic, configs);
    const assignment: TopicAssignment = { partitions, addingReplicas: new Map(), removingReplicas: new Map(), topicId };
    try {
      await this.#zk.create(ZkPaths.topic(topic), encodeTopicAssignment(assignment), 'persistent');
    } catch (err) {
      if (err instanceof ZkNodeExistsError) throw new TopicExistsError(topic, { cause: err });
      throw err;
    }
  }

  /**
   * Rewrites a topic's assignment (adding partitions, reassignment, adding a missing topic_id), conditional on
   * `expectedZkVersion` (-1 = any). With a fence the write is epoch-checked. Returns the new zkVersion.
   */
  async setTopicAssignment(
    topic: string,
    assignment: TopicAssignment,
    expectedZkVersion: number,
    fence?: ControllerFence,
  ): Promise<number> {
    const data = encodeTopicAssignment(assignment);
    const path = ZkPaths.topic(topic);
    const stat =
      fence === undefined
        ? await this.#zk.set(path, data, expectedZkVersion)
        : await fencedSet(this.#zk, fence, path, data, expectedZkVersion);
    return stat.version;
  }

  /** The partition's leader/ISR state and its zkVersion (the partition epoch), or null when it has none yet. */
  async getPartitionState(topic: string, partition: number): Promise<{ state: PartitionState; zkVersion: number } | null> {
    try {
      const { data, stat } = await this.#zk.get(ZkPaths.partitionState(topic, partition));
      return { state: decodePartitionState(data), zkVersion: stat.version };
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /**
   * Creates the state nodes of new partitions (creating `partitions/` and `partitions/<p>` as needed), pipelined
   * and epoch-checked once per slice of writes (fencedBatch). A ControllerMovedError aborts the whole call; other
   * failures (e.g. ZkNodeExistsError, or ZkNoNodeError when the topic was deleted) are reported per partition,
   * in the order of `entries`.
   */
  async createPartitionStates(fence: ControllerFence, entries: readonly PartitionStateEntry[]): Promise<PartitionStateWriteResult[]> {
    const topics = [...new Set(entries.map((e) => e.topic))];
    // A failure here surfaces again, per partition, when its own creates fail.
    await fencedBatch(this.#zk, fence, topics, (topic, writes) =>
      ensure(writes, ZkPaths.topicPartitions(topic)).catch((err: unknown) => {
        if (err instanceof ControllerMovedError) throw err;
      }),
    );
    return fencedBatch(this.#zk, fence, entries, async ({ topic, partition, state }, writes): Promise<PartitionStateWriteResult> => {
      try {
        await ensure(writes, ZkPaths.topicPartition(topic, partition));
        await writes.create(ZkPaths.partitionState(topic, partition), encodePartitionState(state), 'persistent');
        return { topic, partition, zkVersion: 0, error: null };
      } catch (err) {
        return failedWrite(topic, partition, err);
      }
    });
  }

  /**
   * Many conditional updates of partition states, pipelined and epoch-checked once per slice of writes
   * (fencedBatch). Each write stays conditional on its own expected zkVersion. A ControllerMovedError aborts the
   * call; other failures (ZkBadVersionError for a stale version, ZkNoNodeError, connection errors) are reported
   * per partition, in the order of `updates`.
   */
  async updatePartitionStates(fence: ControllerFence, updates: readonly PartitionStateUpdate[]): Promise<PartitionStateWriteResult[]> {
    return fencedBatch(this.#zk, fence, updates, async ({ topic, partition, state, expectedZkVersion }, writes): Promise<PartitionStateWriteResult> => {
      try {
        const stat = await writes.set(ZkPaths.partitionState(topic, partition), encodePartitionState(state), expectedZkVersion);
        return { topic, partition, zkVersion: stat.version, error: null };
      } catch (err) {
        return failedWrite(topic, partition, err);
      }
    });
  }

  /** An entity's config; empty when the node is missing. */
  async getEntityConfig(type: ConfigType, name: string): Promise<Record<string, string>> {
    try {
      return decodeEntityConfig((await this.#zk.get(ZkPaths.configEntity(type, name))).data);
    } catch (err) {
      if (err instanceof ZkNoNodeError) return {};
      throw err;
    }
  }

  /** Sets (or creates) an entity's whole config. Callers then add a change notification so brokers reload it. */
  async setEntityConfig(type: ConfigType, name: string, config: Readonly<Record<string, string>>): Promise<void> {
    const path = ZkPaths.configEntity(type, name);
    const data = encodeEntityConfig(config);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#zk.set(path, data, -1);
        return;
      } catch (err) {
        if (!(err instanceof ZkNoNodeError) || attempt >= 3) throw err;
      }
      try {
        await this.#zk.mkdirp(path.slice(0, path.lastIndexOf('/')));
        await this.#zk.create(path, data, 'persistent');
        return;
      } catch (err) {
        if (!(err instanceof ZkNodeExistsError)) throw err;
      }
    }
  }

  /** Adds /config/changes/config_change_<seq> for `entityPath` (e.g. `topics/my-topic`); returns the node name. */
  async createConfigChangeNotification(entityPath: string): Promise<string> {
    const created = await this.#zk.create(
      ZkPaths.configChange(CONFIG_CHANGE_PREFIX),
      encodeConfigChangeNotification(entityPath),
      'persistent_sequential',
    );
    return created.slice(created.lastIndexOf('/') + 1);
  }

  /** Names of pending config change notifications in sequence order. `watcher` fires when one is added. */
  async getConfigChanges(watcher?: ZkWatcher): Promise<string[]> {
    const children = await this.#zk.getChildren(ZkPaths.configChanges, watcher);
    return children.filter((c) => c.startsWith(CONFIG_CHANGE_PREFIX)).sort();
  }

  /** A notification's entity path and creation time (for purging old ones), or null if it is gone. */
  async getConfigChangeNotification(name: string): Promise<{ entityPath: string; ctime: number } | null> {
    try {
      const { data, stat } = await this.#zk.get(ZkPaths.configChange(name));
      return { entityPath: decodeConfigChangeNotification(data), ctime: stat.ctime };
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /** Creates /admin/delete_topics/<t>; false if the topic was already marked. */
  async markTopicForDeletion(topic: string): Promise<boolean> {
    try {
      await this.#zk.create(ZkPaths.deleteTopic(topic), null, 'persistent');
      return true;
    } catch (err) {
      if (err instanceof ZkNodeExistsError) return false;
      throw err;
    }
  }

  /** Topics marked for deletion. `watcher` fires when markers are added or removed. */
  async getTopicsMarkedForDeletion(watcher?: ZkWatcher): Promise<string[]> {
    return (await this.#zk.getChildren(ZkPaths.deleteTopics, watcher)).sort();
  }

  /** Removes deletion markers only (delete.topic.enable=false, or a topic that no longer exists). */
  async deleteTopicDeletionMarkers(fence: ControllerFence, topics: readonly string[]): Promise<void> {
    for (const topic of topics) await fencedDeleteRecursive(this.#zk, fence, ZkPaths.deleteTopic(topic));
  }

  /** The end of a topic deletion: /brokers/topics/<t> (recursive), /config/topics/<t>, /admin/delete_topics/<t>. */
  async deleteTopicZnodes(fence: ControllerFence, topic: string): Promise<void> {
    await fencedDeleteRecursive(this.#zk, fence, ZkPaths.topic(topic));
    await fencedDeleteRecursive(this.#zk, fence, ZkPaths.configEntity('topics', topic));
    await fencedDeleteRecursive(this.#zk, fence, ZkPaths.deleteTopic(topic));
  }
}

/** Creates a persistent empty node unless it exists (through a fencedBatch's session-bound writes). */
async function ensure(writes: SessionBoundWrites, path: string): Promise<void> {
  try {
    await writes.create(path, null, 'persistent');
  } catch (err) {
    if (!(err instanceof ZkNodeExistsError)) throw err;
  }
}

/** A batch write's failure, reported for its partition; a ControllerMovedError aborts the whole batch instead. */
function failedWrite(topic: string, partition: number, err: unknown): PartitionStateWriteResult {
  if (err instanceof ControllerMovedError) throw err;
  return { topic, partition, zkVersion: null, error: err instanceof Error ? err : new Error(String(err)) };
}
