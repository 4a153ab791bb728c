import { randomBytes } from 'node:crypto';
import { AdminManager } from './cluster/admin-manager.js';
import { ConfigChangeListener } from './cluster/config-change-listener.js';
import { CONTROLLER_COMMANDS } from './cluster/controller-requests.js';
import type {
  AlterIsrRequest,
  AlterIsrResponse,
  ControlledShutdownRequest,
  ControlledShutdownResponse,
  LeaderAndIsrRequest,
  StopReplicaRequest,
  UpdateMetadataRequest,
} from './cluster/controller-requests.js';
import { AlterIsrManager } from './cluster/alter-isr-manager.js';
import { REPLICA_FETCH } from './cluster/replica-fetch.js';
import { errorCode } from './protocol/error-codes.js';
import type { ReplicaFetchRequest, ReplicaFetchResponse } from './cluster/replica-fetch.js';
import { ReplicaFetcherManager } from './replication/replica-fetcher-manager.js';
import { controlledShutdown } from './cluster/controlled-shutdown.js';
import { isStaleBrokerEpoch } from './cluster/controller-requests.js';
import { runBounded } from './util/bounded.js';
import { Controller } from './cluster/controller/controller.js';
import { MetadataCache } from './cluster/metadata-cache.js';
import { ReplicaManager } from './cluster/replica-manager.js';
import { TopicConfigManager } from './cluster/topic-config-manager.js';
import { ZkAdapter } from './cluster/zk-adapter.js';
import type { BrokerConfig } from './config/broker-config.js';
import { BrokerChannelManager } from './replication/broker-channel.js';
import { PeerServer } from './replication/peer-server.js';
import { buildHandlers } from './server/handlers/index.js';
import type { BrokerServices } from './server/broker-services.js';
import { Dispatcher } from './server/dispatcher.js';
import { SocketServer } from './server/socket-server.js';
import { LogManager } from './storage/log-manager.js';
import { startGroupCoordination } from './coordinator/group-coordination.js';
import type { GroupCoordination } from './coordinator/group-coordination.js';
import { systemClock } from './util/clock.js';
import type { Clock } from './util/clock.js';
import { moduleLogger, setLogLevel } from './util/logger.js';
import { KafkaZkClient } from './zk/kafka-zk-client.js';
import { ZkClient } from './zk/zk-client.js';

const CONTROLLED_SHUTDOWN_ATTEMPT_TIMEOUT_MS = 5000;
/** Shutdown steps finish in well under this; controlled shutdown is bounded by its own retries instead. */
const SHUTDOWN_STEP_TIMEOUT_MS = 5000;

/**
 * One Streamkeeper broker: config -> storage -> ZooKeeper -> cluster (metadata, replicas, controller) ->
 * inter-broker channel -> Kafka socket server, then registration in /brokers/ids once it serves.
 */
export class Broker {
  readonly #config: BrokerConfig;
  readonly #clock: Clock;
  readonly #logger = moduleLogger('broker');
  #zk: ZkClient | undefined;
  #kzk: KafkaZkClient | undefined;
  #logs: LogManager | undefined;
  #groupCoordination: GroupCoordination | undefined;
  #controller: Controller | undefined;
  #socketServer: SocketServer | undefined;
  #peerServer: PeerServer | undefined;
  #channel: BrokerChannelManager | undefined;
  #configChanges: ConfigChangeListener | undefined;
  #registration: (() => Promise<void>) | undefined;
  #replicaManager: ReplicaManager | undefined;
  #cancelHwCheckpoint: (() => void) | undefined;
  #cancelIsrExpiration: (() => void) | undefined;
  #fetchers: ReplicaFetcherManager | undefined;
  #alterIsr: AlterIsrManager | undefined;
  #sendToController: ((type: string, payload: unknown, timeoutMs?: number) => Promise<unknown>) | undefined;
  /** czxid of this broker's registration znode (Kafka's broker epoch), -1 before registration. */
  #brokerEpoch = -1;
  #sessionRecovery: Promise<void> | undefined;
  #brokerId: number;
  #stopping = false;

  private constructor(config: BrokerConfig, clock: Clock) {
    this.#config = config;
    this.#clock = clock;
    this.#brokerId = config.brokerId;
  }

  get brokerId(): number {
    return this.#brokerId;
  }

  static async start(config: BrokerConfig, clock: Clock = systemClock): Promise<Broker> {
    setLogLevel(config.logLevel);
    const broker = new Broker(config, clock);
    try {
      await broker.#start();
    } catch (err) {
      await broker.shutdown().catch(() => {});
      throw err;
    }
    return broker;
  }

  async #start(): Promise<void> {
    const config = this.#config;
    const clock = this.#clock;
    this.#logger.info('starting broker', { brokerId: config.brokerId, zookeeper: config.zookeeperConnect });

    const zk = await ZkClient.connect({
      connectString: config.zookeeperConnect,
      sessionTimeoutMs: config.zookeeperSessionTimeoutMs,
      connectionTimeoutMs: config.zookeeperConnectionTimeoutMs,
      logger: moduleLogger('zookeeper'),
    });
    this.#zk = zk;
    const kzk = new KafkaZkClient(zk, { clock, logger: moduleLogger('kafka-zk') });
    this.#kzk = kzk;
    await kzk.createTopLevelPaths();
    const clusterId = await kzk.getOrCreateClusterId();
    if (this.#brokerId < 0) this.#brokerId = await kzk.generateBrokerSequenceId(config.get('reserved.broker.max.id'));
    const brokerId = this.#brokerId;
    const logger = moduleLogger('broker', { brokerId });

    const zkAdapter = new ZkAdapter(kzk);
    const topicConfigs = new TopicConfigManager({ broker: config, fetchOverrides: (t) => zkAdapter.topicConfig(t), logger: moduleLogger('topic-config', { brokerId }) });
    const logs = new LogManager({
      logDirs: [...config.logDirs],
      clock,
      logger: moduleLogger('storage', { brokerId }),
      retentionCheckIntervalMs: config.get('log.retention.check.interval.ms'),
      flushCheckpointIntervalMs: config.get('log.flush.offset.checkpoint.interval.ms'),
      defaultConfig: topicConfigs.logConfig(''), // the broker's log.* values: no topic overrides
      cleaner: { enable: config.get('log.cleaner.enable'), backoffMs: config.get('log.cleaner.backoff.ms') },
    });
    this.#logs = logs;
    await logs.startup({ brokerId, clusterId });

    const metadataCache = new MetadataCache();
    const replicaManager = new ReplicaManager({
      brokerId,
      logManager: logs,
      configs: topicConfigs,
      clock,
      logger: moduleLogger('replica-manager', { brokerId }),
      knownInCluster: (t, p) => metadataCache.partition(t, p) !== undefined,
    });
    this.#replicaManager = replicaManager;
    const checkpointHw = (): void => {
      this.#cancelHwCheckpoint = clock.schedule(config.get('replica.high.watermark.checkpoint.interval.ms'), () => {
        replicaManager.checkpointHighWatermarks().catch((err: unknown) => logger.warn('high watermark checkpoint failed', { err: String(err) }));
        if (!this.#stopping) checkpointHw();
      });
    };
    checkpointHw();
    topicConfigs.onChange((topic, logConfig) => {
      for (const p of replicaManager.allPartitions()) if (p.topic === topic) p.log.updateConfig(logConfig);
    });

    let secret = config.clusterSecret;
    if (secret === null || secret === '') {
      secret = randomBytes(32).toString('hex');
      logger.warn('streamkeeper.cluster.secret is not set: peers cannot authenticate to this broker; set the same secret on every broker of a multi-broker cluster');
    }
    const interBroker = config.interBrokerListenerName;
    let controller: Controller | undefined;
    const channel = new BrokerChannelManager({
      brokerId,
      clusterId,
      secret,
      clock,
      logger: moduleLogger('peer-client', { brokerId }),
      resolveEndpoint: (id) => {
        const b = metadataCache.broker(id) ?? controller?.liveBroker(id);
        const ep = b?.endpoints.find((e) => e.listener === interBroker) ?? b?.endpoints[0];
        return ep === undefined ? null : { host: ep.host, port: ep.port };
      },
    });
    this.#channel = channel;
    const peerServer = new PeerServer({ brokerId, clusterId, secret, clock, logger: moduleLogger('peer-server', { brokerId }) });
    this.#peerServer = peerServer;
    const controllerId = (): number => (controller?.isActive === true ? brokerId : metadataCache.controllerId >= 0 ? metadataCache.controllerId : controller?.activeControllerId ?? -1);
    const sendToController = async (type: string, payload: unknown, timeoutMs?: number): Promise<unknown> => {
      const id = controllerId();
      if (id < 0) throw new Error('no controller is known yet');
      return channel.sendToBroker(id, type, payload, timeoutMs === undefined ? {} : { timeoutMs });
    };
    const alterIsr = new AlterIsrManager({
      brokerId,
      brokerEpoch: () => this.#brokerEpoch,
      send: async (req) => (await sendToController(CONTROLLER_COMMANDS.alterIsr, req)) as AlterIsrResponse,
      clock,
      logger: moduleLogger('alter-isr', { brokerId }),
    });
    this.#alterIsr = alterIsr;
    const fetchers = new ReplicaFetcherManager({
      send: async (leaderId, req, timeoutMs) => (await channel.sendToBroker(leaderId, REPLICA_FETCH, req, { timeoutMs })) as ReplicaFetchResponse,
      settings: {
        maxWaitMs: config.get('replica.fetch.wait.max.ms'),
        minBytes: config.get('replica.fetch.min.bytes'),
        maxBytes: config.get('replica.fetch.response.max.bytes'),
        partitionMaxBytes: config.get('replica.fetch.max.bytes'),
        backoffMs: config.get('replica.fetch.backoff.ms'),
        requestTimeoutMs: config.get('replica.socket.timeout.ms'),
      },
      brokerEpoch: () => this.#brokerEpoch,
      clock,
      logger: moduleLogger('replica-fetcher', { brokerId }),
    });
    this.#fetchers = fetchers;
    replicaManager.connectReplication({ alterIsr, fetchers });
    this.#cancelIsrExpiration = replicaManager.startIsrExpiration(config.get('replica.lag.time.max.ms'));
    this.#sendToController = sendToController;
    peerServer.onRequest(REPLICA_FETCH, (payload, peer) => replicaManager.fetchForFollower(peer.brokerId, payload as ReplicaFetchRequest));
    const commands = {
      [CONTROLLER_COMMANDS.alterIsr]: async (p: unknown): Promise<AlterIsrResponse> => {
        if (controller?.isActive !== true) return { errorCode: errorCode('NOT_CONTROLLER'), partitions: [] };
        return controller.alterIsr(p as AlterIsrRequest);
      },
      [CONTROLLER_COMMANDS.controlledShutdown]: async (p: unknown): Promise<ControlledShutdownResponse> => {
        if (controller?.isActive !== true) return { errorCode: errorCode('NOT_CONTROLLER'), remainingPartitions: [] };
        const req = p as ControlledShutdownRequest;
        const r = await controller.controlledShutdown(req.brokerId, req.brokerEpoch);
        return { errorCode: r.errorCode, remainingPartitions: r.remaining };
      },
      [CONTROLLER_COMMANDS.leaderAndIsr]: async (p: unknown) => {
        const req = p as LeaderAndIsrRequest;
        await Promise.all([...new Set(req.partitions.map((x) => x.topic))].map((t) => topicConfigs.load(t)));
        return replicaManager.becomeLeaderOrFollower(req);
      },
      [CONTROLLER_COMMANDS.updateMetadata]: async (p: unknown) => ({ errorCode: metadataCache.update(p as UpdateMetadataRequest) ? 0 : errorCode('STALE_CONTROLLER_EPOCH'), partitionErrors: [] }),
      [CONTROLLER_COMMANDS.stopReplica]: async (p: unknown) => replicaManager.stopReplicas(p as StopReplicaRequest),
    } as const;
    const handle = async (type: string, payload: unknown): Promise<unknown> => {
      const fn = commands[type as keyof typeof commands];
      if (fn === undefined) throw new Error(`unknown controller command ${type}`);
      if (isStaleBrokerEpoch(type, payload, this.#brokerEpoch)) {
        logger.warn('ignoring a controller request for an earlier registration of this broker', { type, brokerEpoch: this.#brokerEpoch });
        return { errorCode: errorCode('STALE_BROKER_EPOCH'), partitionErrors: [] };
      }
      return fn(payload);
    };
    for (const type of Object.keys(commands)) peerServer.onRequest(type, (payload) => handle(type, payload));
    channel.setLocalHandler(handle);

    controller = new Controller({
      brokerId,
      zk: zkAdapter,
      channel,
      clock,
      logger: moduleLogger('controller', { brokerId }),
      deleteTopicEnable: config.get('delete.topic.enable'),
      uncleanLeaderElectionEnable: config.get('unclean.leader.election.enable'),
      autoLeaderRebalanceEnable: config.get('auto.leader.rebalance.enable'),
      leaderImbalanceCheckIntervalSeconds: config.get('leader.imbalance.check.interval.seconds'),
      leaderImbalancePerBrokerPercentage: config.get('leader.imbalance.per.broker.percentage'),
    });
    this.#controller = controller;
    const admin = new AdminManager({
      zk: zkAdapter,
      metadataCache,
      clock,
      logger: moduleLogger('admin', { brokerId }),
      defaults: {
        numPartitions: config.get('num.partitions'),
        defaultReplicationFactor: config.get('default.replication.factor'),
        deleteTopicEnable: config.get('delete.topic.enable'),
      },
    });

    const coordination = startGroupCoordination({ config, replicaManager, admin, metadataCache, clock, logger: moduleLogger('group-coordinator', { brokerId }) });
    this.#groupCoordination = coordination;

    const services: BrokerServices = {
      brokerId,
      clusterId,
      config,
      clock,
      logger,
      metadataCache,
      replicaManager,
      controller,
      admin,
      topicConfigs,
      groupCoordinator: coordination.groupCoordinator,
      offsetsTopic: coordination.offsetsTopic,
    };
    const dispatcher = new Dispatcher({ handlers: buildHandlers(services), logger: moduleLogger('network', { brokerId }), clock });
    const socketServer = new SocketServer({
      listeners: config.listeners.map((l) => ({ name: l.name, host: l.host, port: l.port, securityProtocol: l.securityProtocol })),
      dispatcher,
      clock,
      logger: moduleLogger('network', { brokerId }),
      maxRequestBytes: config.get('socket.request.max.bytes'),
      maxInFlightRequests: config.get('queued.max.requests'),
      connectionsMaxIdleMs: config.get('connections.max.idle.ms'),
      onHttpUpgrade: (req, socket, head) => peerServer.handleUpgrade(req, socket, head),
    });
    this.#socketServer = socketServer;
    const bound = await socketServer.start();

    const endpoints = config.advertisedListeners.map((l) => ({
      listener: l.name,
      securityProtocol: l.securityProtocol,
      host: l.host,
      port: l.port === 0 ? bound.find((b) => b.name === l.name)?.port ?? 0 : l.port,
    }));
    this.#registration = async () => {
      const epoch = await kzk.registerBroker(brokerId, { endpoints, rack: config.get('broker.rack'), jmxPort: -1, timestamp: clock.now(), features: {} });
      this.#brokerEpoch = Number(epoch);
    };
    await this.#registration();

    this.#configChanges = new ConfigChangeListener({ zk: kzk, clock, logger: moduleLogger('config-changes', { brokerId }), onTopicChange: async (t) => {
        await topicConfigs.refresh(t);
        if (controller?.isActive === true) await controller.topicConfigChanged(t);
      },
    });
    await this.#configChanges.start();
    await controller.startup();

    zk.on('expired', () => {
      // One recovery at a time; a second expiry during it is covered by its retry loop.
      this.#sessionRecovery ??= this.#onSessionExpired()
        .catch((err: unknown) => {
          this.#logger.error('recovery from ZooKeeper session expiry failed', { err: String(err) });
        })
        .finally(() => {
          this.#sessionRecovery = undefined;
        });
    });
    logger.info('broker started', { listeners: bound, clusterId });
  }

  /** ZooKeeper session loss: resign, open a new session, register again (new broker epoch), re-elect. */
  async #onSessionExpired(): Promise<void> {
    if (this.#stopping) return;
    this.#logger.warn('ZooKeeper session expired; re-registering');
    await this.#controller?.sessionExpired();
    for (let attempt = 0; !this.#stopping; attempt++) {
      try {
        await this.#zk?.reconnect();
        await this.#registration?.();
        await this.#configChanges?.start();
        await this.#controller?.reelect();
        this.#logger.info('re-registered after session expiry');
        return;
      } catch (err) {
        this.#logger.error('re-registration failed; retrying', { err: String(err), attempt });
        await new Promise<void>((resolve) => this.#clock.schedule(Math.min(1000 * (attempt + 1), 5000), resolve));
      }
    }
  }

  /** Stops serving, deregisters (closing the ZooKeeper session), flushes logs and checkpoints. */
  async shutdown(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.#logger.info('shutting down', { brokerId: this.#brokerId });
    // Each step is bounded so that one that hangs cannot keep the process alive; the log names it.
    const step = async (name: string, fn: () => Promise<unknown> | unknown, timeoutMs = SHUTDOWN_STEP_TIMEOUT_MS): Promise<void> => {
      try {
        if ((await runBounded(fn, timeoutMs, this.#clock)) === 'timeout') {
          this.#logger.warn('shutdown step did not finish in time; going on', { step: name, timeoutMs });
        }
      } catch (err) {
        this.#logger.warn('shutdown step failed', { step: name, err: String(err) });
      }
    };
    this.#cancelHwCheckpoint?.();
    this.#replicaManager?.beginShutdown();
    if (this.#config.get('controlled.shutdown.enable') && this.#sendToController !== undefined && this.#brokerEpoch >= 0) {
      const send = this.#sendToController;
      await step('controlled shutdown', () =>
        controlledShutdown({
          request: { brokerId: this.#brokerId, brokerEpoch: this.#brokerEpoch },
          // A controller that has gone away must not hold this broker up for the whole request timeout.
          send: async (req) => (await send(CONTROLLER_COMMANDS.controlledShutdown, req, CONTROLLED_SHUTDOWN_ATTEMPT_TIMEOUT_MS)) as ControlledShutdownResponse,
          maxRetries: this.#config.get('controlled.shutdown.max.retries'),
          retryBackoffMs: this.#config.get('controlled.shutdown.retry.backoff.ms'),
          clock: this.#clock,
          logger: this.#logger,
        }),
        // Its own retries bound it: each attempt times out, then waits the back-off.
        Math.max(1, this.#config.get('controlled.shutdown.max.retries')) * (CONTROLLED_SHUTDOWN_ATTEMPT_TIMEOUT_MS + this.#config.get('controlled.shutdown.retry.backoff.ms')) + 1000,
      );
    }
    this.#cancelIsrExpiration?.();
    // No LeaderAndIsr/StopReplica from here on, and none half-applied: the logs close below.
    await step('replica manager', () => this.#replicaManager?.shutdown());
    await step('replica fetchers', () => this.#fetchers?.close());
    // Upgraded peer sockets count as connections of the listener, so the peer server closes them first.
    await step('peer server', () => this.#peerServer?.close());
    await step('socket server', () => this.#socketServer?.stop());
    await step('group coordinator', () => this.#groupCoordination?.shutdown());
    await step('alter isr', () => this.#alterIsr?.close());
    await step('config changes', () => this.#configChanges?.stop());
    await step('controller', () => this.#controller?.shutdown());
    await step('peer channel', () => this.#channel?.close());
    await step('zookeeper', () => this.#zk?.close());
    await step('high watermarks', () => this.#replicaManager?.checkpointHighWatermarks());
    await step('logs', () => this.#logs?.shutdown());
    this.#logger.info('shut down', { brokerId: this.#brokerId });
  }
}
