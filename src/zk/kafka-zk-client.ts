import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { moduleLogger } from '../util/logger.js';
import type { ZkClient, ZkWatcher } from './zk-client.js';
import { ZkBadVersionError, ZkError, ZkNoNodeError, ZkNodeExistsError } from './zk-errors.js';
import { BrokerIdInUseError, ControllerMovedError } from './kafka-zk-errors.js';
import type { ControllerFence } from './controller-fence.js';
import { fencedDelete } from './controller-fence.js';
import { PERSISTENT_PATHS, ZkPaths } from './paths.js';
import { decodeClusterId, encodeClusterId } from './codecs/cluster-id.js';
import type { BrokerRegistration, BrokerRegistrationVersion, DecodedBrokerRegistration } from './codecs/broker-registration.js';
import { decodeBrokerRegistration, encodeBrokerRegistration } from './codecs/broker-registration.js';
import { decodeController, decodeControllerEpoch, encodeController, encodeControllerEpoch } from './codecs/controller.js';
import type { ProducerIdBlock } from './codecs/admin.js';
import { decodeProducerIdBlock, encodeFeatureZNode, encodeProducerIdBlock, FeatureZNodeStatus } from './codecs/admin.js';
import { newUuid } from './codecs/uuid.js';
import { KafkaZkTopicClient } from './kafka-zk-topic-client.js';

export interface RegisteredBroker {
  readonly id: number;
  readonly registration: DecodedBrokerRegistration;
  /** The broker epoch: czxid of /brokers/ids/<id>. */
  readonly epoch: bigint;
}

export interface KafkaZkClientOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * Kafka-specific ZooKeeper operations (Kafka's KafkaZkClient): cluster id, broker registration, controller election
 * and, through KafkaZkTopicClient, topics, partition states, configs and deletions.
 * The zookeeper npm client has no multi-ops; see controller-fence.ts and each method for the emulation.
 */
export class KafkaZkClient extends KafkaZkTopicClient {
  readonly #zk: ZkClient;
  readonly #clock: Clock;
  readonly #logger: Logger;

  constructor(zk: ZkClient, options: KafkaZkClientOptions = {}) {
    super(zk);
    this.#zk = zk;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? moduleLogger('kafka-zk-client');
  }

  /** Creates the persistent paths every broker ensures at startup (ZkData.PersistentZkPaths). */
  async createTopLevelPaths(): Promise<void> {
    for (const path of PERSISTENT_PATHS) await this.#zk.mkdirp(path);
  }

  async getClusterId(): Promise<string | null> {
    try {
      return decodeClusterId((await this.#zk.get(ZkPaths.clusterId)).data);
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /** Reads /cluster/id, or creates it with a new random id (22-char URL-safe Base64) when this is the first broker. */
  async getOrCreateClusterId(): Promise<string> {
    const existing = await this.getClusterId();
    if (existing !== null) return existing;
    const id = newUuid();
    await this.#zk.mkdirp('/cluster');
    try {
      await this.#zk.create(ZkPaths.clusterId, encodeClusterId(id), 'persistent');
      this.#logger.info('created cluster id', { clusterId: id });
      return id;
    } catch (err) {
      if (!(err instanceof ZkNodeExistsError)) throw err;
      const winner = await this.getClusterId();
      if (winner === null) throw new ZkError(err.code, 'cluster id node vanished after a concurrent create', ZkPaths.clusterId);
      return winner;
    }
  }

  /**
   * Registers this broker at /brokers/ids/<id> and returns its broker epoch (the node's czxid).
   * Kafka's multi-op (create with null data + setData at version 0, so dataVersion ends at 1) is emulated as two
   * steps; until the setData lands readers see the node with no data (getAllBrokers skips it).
   * A node owned by another session fails with BrokerIdInUseError. A node owned by our own session (a repeated
   * registration) is deleted and recreated, which gives the broker a new epoch.
   */
  async registerBroker(
    brokerId: number,
    registration: BrokerRegistration,
    version: BrokerRegistrationVersion = 5,
  ): Promise<bigint> {
    const path = ZkPaths.broker(brokerId);
    const data = encodeBrokerRegistration(registration, version);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#zk.create(path, null, 'ephemeral');
      } catch (err) {
        if (!(err instanceof ZkNodeExistsError) || attempt >= 3) throw err;
        const existing = await this.#zk.exists(path);
        if (existing !== null && existing.ephemeralOwner !== this.#zk.sessionId) {
          throw new BrokerIdInUseError(brokerId, existing.ephemeralOwner);
        }
        if (existing !== null) await this.#deleteIgnoringNoNode(path, existing.version);
        continue;
      }
      try {
        const stat = await this.#zk.set(path, data, 0);
        this.#logger.info('registered broker', { brokerId, brokerEpoch: String(stat.czxid) });
        return stat.czxid;
      } catch (err) {
        await this.#deleteIgnoringNoNode(path, -1);
        throw new ZkError(
          err instanceof ZkError ? err.code : -1,
          `registering broker ${brokerId}: setData after create failed`,
          path,
          { cause: err },
        );
      }
    }
  }

  /** Live broker ids, ascending. `watcher` fires when brokers come or go. */
  async getBrokerIds(watcher?: ZkWatcher): Promise<number[]> {
    const children = await this.#zk.getChildren(ZkPaths.brokerIds, watcher);
    return children
      .map(Number)
      .filter(Number.isInteger)
      .sort((a, b) => a - b);
  }

  /**
   * A broker's registration and epoch, or null when it is absent or still being registered (no data yet).
   * `watcher` is a data watch (set whenever the node exists): it fires when registration completes or the node goes.
   */
  async getBroker(brokerId: number, watcher?: ZkWatcher): Promise<RegisteredBroker | null> {
    try {
      const { data, stat } = await this.#zk.get(ZkPaths.broker(brokerId), watcher);
      if (data === null) return null;
      return { id: brokerId, registration: decodeBrokerRegistration(data), epoch: stat.czxid };
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /** All fully registered brokers, by id. `watcher`: children of /brokers/ids; `brokerWatcher(id)`: each node's data. */
  async getAllBrokers(watcher?: ZkWatcher, brokerWatcher?: (brokerId: number) => ZkWatcher): Promise<RegisteredBroker[]> {
    const ids = await this.getBrokerIds(watcher);
    const brokers = await Promise.all(ids.map((id) => this.getBroker(id, brokerWatcher?.(id))));
    return brokers.filter((b): b is RegisteredBroker => b !== null);
  }

  /**
   * Broker id generation (broker.id=-1): an unconditional setData of /brokers/seqid; id = new dataVersion +
   * reserved.broker.max.id (first id 1001 with the default 1000).
   */
  async generateBrokerSequenceId(reservedBrokerMaxId = 1000): Promise<number> {
    await this.#zk.mkdirp(ZkPaths.brokerSequenceId);
    const stat = await this.#zk.set(ZkPaths.brokerSequenceId, null, -1);
    return stat.version + reservedBrokerMaxId;
  }

  /** The active controller's broker id, or null. `watcher` is an existence watch: creation, deletion, data change. */
  async getControllerId(watcher?: ZkWatcher): Promise<number | null> {
    const stat = await this.#zk.exists(ZkPaths.controller, watcher);
    if (stat === null) return null;
    try {
      return decodeController((await this.#zk.get(ZkPaths.controller)).data).brokerId;
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  async getControllerEpoch(): Promise<{ epoch: number; zkVersion: number } | null> {
    try {
      const { data, stat } = await this.#zk.get(ZkPaths.controllerEpoch);
      return { epoch: decodeControllerEpoch(data), zkVersion: stat.version };
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /**
   * Tries to become controller (KafkaZkClient.registerControllerAndIncrementControllerEpoch).
   * Kafka does this as one multi-op; here the ephemeral /controller node is created first and acts as the mutex,
   * then /controller_epoch is set to epoch+1 conditionally on the version read before.
   * Returns the fence on success, null when another broker is controller; throws ControllerMovedError (after
   * deleting our /controller) if the epoch moved under us.
   */
  async registerControllerAndIncrementEpoch(brokerId: number): Promise<ControllerFence | null> {
    let current = await this.getControllerEpoch();
    if (current === null) {
      try {
        await this.#zk.create(ZkPaths.controllerEpoch, encodeControllerEpoch(0), 'persistent');
      } catch (err) {
        if (!(err instanceof ZkNodeExistsError)) throw err;
      }
      current = await this.getControllerEpoch();
      if (current === null) throw new ControllerMovedError('/controller_epoch vanished during election');
    }
    try {
      await this.#zk.create(ZkPaths.controller, encodeController(brokerId, this.#clock.now()), 'ephemeral');
    } catch (err) {
      if (!(err instanceof ZkNodeExistsError)) throw err;
      // Ours only if a previous attempt of this very session created it; then we still hold the mutex.
      const owner = await this.#zk.exists(ZkPaths.controller);
      if (owner === null || owner.ephemeralOwner !== this.#zk.sessionId) return null;
    }
    try {
      const stat = await this.#zk.set(ZkPaths.controllerEpoch, encodeControllerEpoch(current.epoch + 1), current.zkVersion);
      this.#logger.info('elected controller', { brokerId, controllerEpoch: current.epoch + 1 });
      return { epoch: current.epoch + 1, epochZkVersion: stat.version };
    } catch (err) {
      if (!(err instanceof ZkBadVersionError)) throw err;
      await this.deleteControllerIfOwned();
      throw new ControllerMovedError(
        `controller epoch changed during election by broker ${brokerId} (expected zkVersion ${current.zkVersion})`,
        { cause: err },
      );
    }
  }

  /**
   * Deletes /controller if this session owns it (resignation). With a fence the delete is epoch-checked.
   * Returns whether a node was deleted.
   */
  async deleteControllerIfOwned(fence?: ControllerFence): Promise<boolean> {
    const stat = await this.#zk.exists(ZkPaths.controller);
    if (stat === null || stat.ephemeralOwner !== this.#zk.sessionId) return false;
    try {
      if (fence === undefined) await this.#zk.delete(ZkPaths.controller, stat.version);
      else await fencedDelete(this.#zk, fence, ZkPaths.controller, stat.version);
      return true;
    } catch (err) {
      if (err instanceof ZkNoNodeError) return false;
      throw err;
    }
  }

  /** Writes /feature (the controller does this on takeover); ZK-mode brokers finalize no features. */
  async writeFeatureZNode(status: number = FeatureZNodeStatus.ENABLED): Promise<void> {
    const data = encodeFeatureZNode(status);
    try {
      await this.#zk.create(ZkPaths.feature, data, 'persistent');
    } catch (err) {
      if (!(err instanceof ZkNodeExistsError)) throw err;
      await this.#zk.set(ZkPaths.feature, data, -1);
    }
  }

  /**
   * Claims the next block of producer ids (ZkProducerIdManager): read /latest_producer_id_block, write the block after
   * it conditionally on the version read, retry on a concurrent claim.
   */
  async allocateProducerIdBlock(brokerId: number, blockSize = 1000): Promise<ProducerIdBlock> {
    await this.#zk.mkdirp(ZkPaths.latestProducerIdBlock);
    for (;;) {
      const { data, stat } = await this.#zk.get(ZkPaths.latestProducerIdBlock);
      const blockStart = data === null ? 0 : decodeProducerIdBlock(data).blockEnd + 1;
      if (blockStart + blockSize - 1 > Number.MAX_SAFE_INTEGER) throw new ZkError(-1, 'producer ids exhausted');
      const block = { brokerId, blockStart, blockEnd: blockStart + blockSize - 1 };
      try {
        await this.#zk.set(ZkPaths.latestProducerIdBlock, encodeProducerIdBlock(block), stat.version);
        return block;
      } catch (err) {
        if (!(err instanceof ZkBadVersionError)) throw err;
      }
    }
  }

  async #deleteIgnoringNoNode(path: string, version: number): Promise<void> {
    try {
      await this.#zk.delete(path, version);
    } catch (err) {
      if (!(err instanceof ZkNoNodeError)) throw err;
    }
  }
}
