import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import { CONTROLLER_COMMANDS } from '../controller-requests.js';
import { logLeadershipChanged } from './leadership-log.js';
import { errorCode } from '../../protocol/error-codes.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import type {
  AlterIsrRequest,
  AlterIsrResponse,
  ControllerCommandResponse,
  LeaderAndIsrRequest,
  LiveBroker,
  StopReplicaPartition,
  StopReplicaRequest,
  UpdateMetadataRequest,
} from '../controller-requests.js';
import { BrokerRequestSender } from './broker-request-sender.js';
import type { ControllerChannel } from './broker-request-sender.js';
import { ControllerContext } from './controller-context.js';
import type { PartitionEntry } from './controller-context.js';
import { ZK_READ_WINDOW } from './controller-zk.js';
import type { ControllerFence, ControllerZk, ZkPartitionState } from './controller-zk.js';
import { runWindowed } from '../../util/windowed.js';
import { createNewPartitionStates, readPartitionStates, writeLeadership } from './partition-state-batch.js';
import type { ControllerOps, Decide } from './controller-ops.js';
import { LeaderBalance } from './leader-balance.js';
import { PartitionReassignments } from './reassignment.js';
import { TopicDeletion } from './topic-deletion.js';
import { LeaderRequests } from './leader-requests.js';
import type { ControlledShutdownResult } from './leader-requests.js';
import type { OngoingReassignment, ReassignmentRequest, ReassignmentResult } from './reassignment.js';
import { ControllerEventQueue } from './event-queue.js';
import { electForNewPartition, electForOfflinePartition, removeReplicaFromIsr } from './leader-election.js';
import type { LeaderAndIsr } from './leader-election.js';

export interface ControllerOptions {
  brokerId: number;
  zk: ControllerZk;
  channel: ControllerChannel;
  clock: Clock;
  logger: Logger;
  deleteTopicEnable: boolean;
  /** The broker's unclean.leader.election.enable; a topic's own setting (zk topic config) overrides it. */
  uncleanLeaderElectionEnable: boolean;
  /** auto.leader.rebalance.enable (default true). */
  autoLeaderRebalanceEnable?: boolean;
  /** leader.imbalance.check.interval.seconds (default 300). */
  leaderImbalanceCheckIntervalSeconds?: number;
  /** leader.imbalance.per.broker.percentage (default 10). */
  leaderImbalancePerBrokerPercentage?: number;
}

export type ElectionOutcome = { topic: string; partition: number; error: ErrorName | null };
type TopicPartition = { topic: string; partition: number };

/**
 * Kafka's ZooKeeper-mode controller: elected through the ephemeral /controller, fenced by /controller_epoch,
 * driven by one event queue. It elects partition leaders, writes partition state znodes and tells brokers
 * (LeaderAndIsr, UpdateMetadata, StopReplica) what they lead and what the cluster looks like.
 */
export class Controller {
  readonly #brokerId: number;
  readonly #zk: ControllerZk;
  readonly #logger: Logger;
  readonly #queue: ControllerEventQueue;
  #sender: BrokerRequestSender;
  readonly #ctx = new ControllerContext();
  readonly #opts: ControllerOptions;
  #fence: ControllerFence | null = null;
  #activeControllerId = -1;
  readonly #reassignments: PartitionReassignments;
  readonly #balance: LeaderBalance;
  readonly #deletion: TopicDeletion;
  readonly #leaderRequests: LeaderRequests;

  constructor(opts: ControllerOptions) {
    this.#opts = opts;
    this.#brokerId = opts.brokerId;
    this.#zk = opts.zk;
    this.#logger = opts.logger;
    this.#queue = new ControllerEventQueue(opts.logger);
    this.#sender = new BrokerRequestSender({ channel: opts.channel, clock: opts.clock, logger: opts.logger });
    const ops: ControllerOps = {
      ctx: this.#ctx,
      zk: opts.zk,
      logger: opts.logger,
      isActive: () => this.isActive,
      fence: () => this.#requireFence(),
      enqueue: (name, fn) => void this.#queue.put(name, fn),
      watch: (name, fn) => this.#watch(name, fn),
      changeLeadership: (entries, decide, notTo) => this.#changeLeadership(entries, decide, notTo),
      sendLeaderAndIsr: (entries, isNew, only) => this.#sendLeaderAndIsr(entries, isNew, only),
      sendUpdateMetadata: (ids, entries, leaderOverride) => this.#sendUpdateMetadata(ids, entries, leaderOverride),
      sendStopReplica: (id, partitions, onResponse) => this.#sendStopReplica(id, partitions, onResponse),
      liveIds: () => this.#liveIds(),
    };
    this.#deletion = new TopicDeletion(ops, opts.deleteTopicEnable);
    this.#leaderRequests = new LeaderRequests(ops);
    this.#reassignments = new PartitionReassignments(ops, () => this.#deletion.process());
    this.#balance = new LeaderBalance(ops, opts.clock, {
      autoRebalanceEnable: opts.autoLeaderRebalanceEnable ?? true,
      checkIntervalMs: (opts.leaderImbalanceCheckIntervalSeconds ?? 300) * 1000,
      imbalancePerBrokerPercentage: opts.leaderImbalancePerBrokerPercentage ?? 10,
    });
  }

  get isActive(): boolean {
    return this.#fence !== null;
  }

  get epoch(): number {
    return this.#fence?.epoch ?? -1;
  }

  get activeControllerId(): number {
    return this.#activeControllerId;
  }

  /** A live broker as the controller knows it from /brokers/ids (the peer channel resolves endpoints with it). */
  liveBroker(id: number): LiveBroker | undefined {
    return this.#ctx.brokers.get(id)?.broker;
  }

  startup(): Promise<void> {
    return this.#queue.put('startup', () => this.#elect());
  }

  /** Resolves once every event queued so far has been processed (tests and shutdown use it). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** The ZooKeeper session expired: stop acting as controller; `reelect()` follows once a new session is up. */
  sessionExpired(): Promise<void> {
    return this.#queue.put('session-expired', async () => this.#resignLocally('ZooKeeper session expired'));
  }

  reelect(): Promise<void> {
    return this.#queue.put('re-elect', () => this.#elect());
  }

  shutdown(): void {
    this.#resignLocally('shutting down');
    this.#queue.close();
  }

  /** Preferred-leader election for the given partitions (or all): ElectLeaders type PREFERRED. */
  electPreferredLeaders(partitions?: TopicPartition[]): Promise<ElectionOutcome[]> {
    return this.#electLeaders('preferred-election', partitions, async (targets) => {
      const moved = await this.#balance.elect(targets);
      return (e) => (moved.includes(e) ? null : e.state?.leader === e.replicas[0] ? 'ELECTION_NOT_NEEDED' : 'PREFERRED_LEADER_NOT_AVAILABLE');
    });
  }

  /**
   * ElectLeaders type UNCLEAN: partitions without a live leader get one from the live ISR, or else any live
   * replica (ISR = [leader]). Partitions with a live leader answer ELECTION_NOT_NEEDED.
   */
  electUncleanLeaders(partitions?: TopicPartition[]): Promise<ElectionOutcome[]> {
    return this.#electLeaders('unclean-election', partitions, async (targets) => {
      const leaderless = targets.filter((e) => e.state !== null && !this.#ctx.isAlive(e.state.leader));
      const moved = await this.#changeLeadership(leaderless, (e, cur) => electForOfflinePartition(e.replicas, cur, this.#ctx.isAlive, true));
      return (e) => (moved.includes(e) ? null : leaderless.includes(e) || e.state === null ? 'ELIGIBLE_LEADERS_NOT_AVAILABLE' : 'ELECTION_NOT_NEEDED');
    });
  }

  async #electLeaders(
    name: string,
    partitions: TopicPartition[] | undefined,
    run: (targets: PartitionEntry[]) => Promise<(e: PartitionEntry) => ErrorName | null>,
  ): Promise<ElectionOutcome[]> {
    const outcome = await this.#onQueue(name, async () => {
      const out: ElectionOutcome[] = [];
      const targets: PartitionEntry[] = [];
      for (const p of partitions ?? [...this.#ctx.partitions.values()]) {
        const e = this.#ctx.entry(p.topic, p.partition);
        if (e === undefined || this.#ctx.topicsToDelete.has(p.topic)) out.push({ topic: p.topic, partition: p.partition, error: 'UNKNOWN_TOPIC_OR_PARTITION' });
        else targets.push(e);
      }
      const errorFor = await run(targets);
      for (const e of targets) out.push({ topic: e.topic, partition: e.partition, error: errorFor(e) });
      return out;
    });
    return outcome ?? (partitions ?? []).map((p) => ({ ...p, error: 'NOT_CONTROLLER' as const }));
  }

  /**
   * A topic's unclean.leader.election.enable may have become true (a config change): its leaderless partitions
   * get another election (Kafka's UncleanLeaderElectionEnable event). Does nothing on a non-controller.
   */
  topicConfigChanged(topic: string): Promise<void> {
    return this.#queue.put(`topic-config-change ${topic}`, async () => {
      if (!this.isActive) return;
      await this.#electOfflineAndNew(this.#ctx.partitionsOf(topic).filter((e) => e.state !== null));
    });
  }

  /** AlterPartitionReassignments on the active controller; null when this broker is not the controller. */
  alterPartitionReassignments(requests: ReassignmentRequest[]): Promise<ReassignmentResult[] | null> {
    return this.#onQueue('alter-partition-reassignments', () => this.#reassignments.alter(requests));
  }

  /** ListPartitionReassignments on the active controller (null filter = all); null when not the controller. */
  listPartitionReassignments(filter: TopicPartition[] | null): Promise<OngoingReassignment[] | null> {
    return this.#onQueue('list-partition-reassignments', async () => this.#reassignments.list(filter));
  }

  /** Runs `fn` on the event queue while active; resolves null when this broker is not the controller. */
  #onQueue<T>(name: string, fn: () => Promise<T>): Promise<T | null> {
    return new Promise((resolve, reject) => {
      void this.#queue.put(name, async () => {
        if (!this.isActive) return resolve(null);
        try {
          resolve(await fn());
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    });
  }

  /** Kafka's controlled shutdown: moves leadership off `brokerId`; returns the partitions it still leads. */
  controlledShutdown(brokerId: number, brokerEpoch: number): Promise<ControlledShutdownResult> {
    return this.#onQueue('controlled-shutdown', () => this.#leaderRequests.controlledShutdown(brokerId, brokerEpoch))
      .then((r) => r ?? { errorCode: errorCode('NOT_CONTROLLER'), remaining: [] });
  }

  /**
   * AlterIsr from a partition leader (see LeaderRequests.alterIsr). Reassignments waiting for their target
   * replicas to join the ISR are completed after the answer is given.
   */
  async alterIsr(req: AlterIsrRequest): Promise<AlterIsrResponse> {
    const outcome = await this.#onQueue('alter-isr', () => this.#leaderRequests.alterIsr(req));
    if (outcome === null) return { errorCode: errorCode('NOT_CONTROLLER'), partitions: [] };
    if (outcome.changed.length > 0) void this.#queue.put('reassignment-isr-change', async () => {
      if (this.isActive) await this.#reassignments.onIsrChanged(outcome.changed);
    });
    return outcome.response;
  }

  // ---- election ---------------------------------------------------------------------------------------------

  async #elect(): Promise<void> {
    const current = await this.#zk.controllerId(() => void this.#queue.put('controller-change', () => this.#onControllerChange()));
    if (current !== null) {
      this.#activeControllerId = current;
      return;
    }
    const fence = await this.#zk.tryElect(this.#brokerId);
    if (fence === null) {
      this.#activeControllerId = (await this.#zk.controllerId(() => void this.#queue.put('controller-change', () => this.#onControllerChange()))) ?? -1;
      return;
    }
    this.#fence = fence;
    this.#activeControllerId = this.#brokerId;
    this.#sender = new BrokerRequestSender({ channel: this.#opts.channel, clock: this.#opts.clock, logger: this.#logger });
    this.#logger.info('became the controller', { controllerEpoch: fence.epoch });
    await this.#onFailover();
  }

  async #onControllerChange(): Promise<void> {
    const current = await this.#zk.controllerId(() => void this.#queue.put('controller-change', () => this.#onControllerChange()));
    if (current === this.#brokerId && this.isActive) return;
    if (this.isActive) this.#resignLocally(`controller moved to ${current ?? 'nobody'}`);
    this.#activeControllerId = current ?? -1;
    if (current === null) await this.#elect();
  }

  #resignLocally(reason: string): void {
    if (this.#fence !== null) this.#logger.info('resigning as controller', { reason, controllerEpoch: this.#fence.epoch });
    this.#fence = null;
    this.#activeControllerId = -1;
    this.#balance.stop();
    this.#ctx.clear();
    this.#deletion.clear();
    this.#sender.close();
  }

  #requireFence(): ControllerFence {
    if (this.#fence === null) throw new Error('not the controller');
    return this.#fence;
  }

  #watch(name: string, fn: () => Promise<void>): () => void {
    return () => {
      if (this.isActive) void this.#queue.put(name, fn);
    };
  }

  async #onFailover(): Promise<void> {
    const fence = this.#requireFence();
    for (const b of await this.#zk.brokers(this.#watch('broker-change', () => this.#onBrokerChange()))) {
      this.#ctx.brokers.set(b.id, b);
      this.#sender.addBroker(b.id);
    }
    await this.#loadTopics(await this.#zk.topics(this.#watch('topic-change', () => this.#onTopicChange())), fence);
    await this.#deletion.load();
    const all = [...this.#ctx.partitions.values()];
    this.#sendUpdateMetadata(this.#liveIds(), all);
    this.#sendLeaderAndIsr(all.filter((e) => e.state !== null), false);
    await this.#electOfflineAndNew(all);
    await this.#deletion.process();
    if (!this.isActive) return;
    await this.#reassignments.resume();
    await this.#balance.onZkNodeChange();
    this.#balance.start();
  }

  /**
   * Loads topics into the context: their assignments (each with a data watch), then the state znode of every
   * partition not known yet, each step with up to ZK_READ_WINDOW reads in flight. Results are applied in the
   * order of `topics`, partitions ascending, whatever order the answers came in; a topic's id is recorded (the
   * context then knows the topic) only after that. Returns the partitions added.
   */
  async #loadTopics(topics: readonly string[], fence: ControllerFence): Promise<PartitionEntry[]> {
    const assignments = await runWindowed(topics, ZK_READ_WINDOW, (topic) =>
      this.#zk.assignment(topic, this.#watch(`partition-modification ${topic}`, () => this.#onPartitionModification(topic))),
    );
    const loaded = topics.flatMap((topic, i) => {
      const assignment = assignments[i];
      return assignment === null || assignment === undefined ? [] : [{ topic, assignment }];
    });
    // Topics created without a topic_id (old tools) get one, written back fenced; rare, so one at a time.
    const topicIds: [string, string][] = [];
    for (const t of loaded) {
      let topicId = t.assignment.topicId;
      if (topicId === null) {
        topicId = this.#zk.newTopicId();
        await this.#zk.setAssignment(fence, t.topic, { ...t.assignment, topicId });
      }
      topicIds.push([t.topic, topicId]);
    }
    const added: PartitionEntry[] = [];
    for (const { topic, assignment } of loaded) {
      for (const [partition, replicas] of [...assignment.partitions].sort((a, b) => a[0] - b[0])) {
        if (this.#ctx.entry(topic, partition) !== undefined) continue;
        added.push({
          topic,
          partition,
          replicas,
          addingReplicas: assignment.addingReplicas?.get(partition) ?? [],
          removingReplicas: assignment.removingReplicas?.get(partition) ?? [],
          state: null,
          zkVersion: -1,
        });
      }
    }
    const states = await readPartitionStates(this.#zk, added);
    added.forEach((e, i) => {
      const zkState = states[i];
      if (zkState !== null && zkState !== undefined) {
        e.state = zkState.state;
        e.zkVersion = zkState.zkVersion;
      }
      this.#ctx.setEntry(e);
    });
    // Only now is a topic known: one whose load failed above stays unknown, so the next topic change loads it.
    for (const [topic, topicId] of topicIds) this.#ctx.topicIds.set(topic, topicId);
    return added;
  }

  // ---- events -----------------------------------------------------------------------------------------------

  async #onBrokerChange(): Promise<void> {
    const regs = await this.#zk.brokers(this.#watch('broker-change', () => this.#onBrokerChange()));
    const now = new Map(regs.map((b) => [b.id, b]));
    const dead: number[] = [];
    const started: number[] = [];
    for (const [id, old] of this.#ctx.brokers) {
      const cur = now.get(id);
      if (cur === undefined || cur.epoch !== old.epoch) dead.push(id);
    }
    for (const [id, cur] of now) {
      const old = this.#ctx.brokers.get(id);
      if (old === undefined || old.epoch !== cur.epoch) started.push(id);
    }
    if (dead.length > 0) {
      this.#logger.info('brokers failed', { brokers: dead });
      for (const id of dead) {
        this.#ctx.brokers.delete(id);
        this.#ctx.shuttingDown.delete(id);
        this.#sender.removeBroker(id);
      }
      await this.#onBrokerFailure(dead);
    }
    if (started.length > 0) {
      this.#logger.info('brokers started', { brokers: started });
      for (const id of started) {
        const reg = now.get(id);
        if (reg === undefined) continue;
        this.#ctx.brokers.set(id, reg);
        this.#sender.addBroker(id);
      }
      await this.#onBrokerStartup(started);
    }
  }

  async #onBrokerFailure(dead: number[]): Promise<void> {
    const deadSet = new Set(dead);
    const affected = [...this.#ctx.partitions.values()].filter(
      (e) => e.state !== null && (deadSet.has(e.state.leader) || e.state.isr.some((r) => deadSet.has(r))),
    );
    const unclean = await this.#uncleanElectionEnabled(affected);
    await this.#changeLeadership(affected, (e, cur) => {
      if (deadSet.has(cur.leader) || cur.leader < 0) {
        const elected = electForOfflinePartition(e.replicas, cur, this.#ctx.isAlive, unclean(e.topic));
        if (elected !== null) return elected;
      }
      let next: LeaderAndIsr = cur;
      for (const id of dead) next = removeReplicaFromIsr(next, id) ?? next;
      return next === cur ? null : { ...next, leaderEpoch: cur.leaderEpoch + 1 };
    });
    // Brokers must learn about the dead broker even when no partition changed.
    this.#sendUpdateMetadata(this.#liveIds(), []);
  }

  async #onBrokerStartup(started: number[]): Promise<void> {
    const all = [...this.#ctx.partitions.values()];
    const others = this.#liveIds().filter((id) => !started.includes(id));
    this.#sendUpdateMetadata(others, []);
    this.#sendUpdateMetadata(started, all);
    const hosted = all.filter((e) => e.state !== null && e.replicas.some((r) => started.includes(r)));
    this.#sendLeaderAndIsr(hosted, false, started);
    await this.#electOfflineAndNew(all.filter((e) => e.replicas.some((r) => started.includes(r))));
    // Reassignments waiting for a live target replica to lead may finish now (Kafka's maybeResumeReassignment).
    await this.#reassignments.onIsrChanged(hosted);
    await this.#deletion.process();
  }

  async #onTopicChange(): Promise<void> {
    const fence = this.#requireFence();
    const topics = new Set(await this.#zk.topics(this.#watch('topic-change', () => this.#onTopicChange())));
    for (const t of this.#ctx.topics()) if (!topics.has(t)) this.#ctx.removeTopic(t);
    const added = await this.#loadTopics([...topics].filter((t) => !this.#ctx.topicIds.has(t)), fence);
    if (added.length > 0) await this.#onNewPartitions(added);
  }

  async #onPartitionModification(topic: string): Promise<void> {
    if (!this.#ctx.topicIds.has(topic)) return;
    const added = await this.#loadTopics([topic], this.#requireFence());
    if (added.length > 0) await this.#onNewPartitions(added);
  }

  async #onNewPartitions(entries: PartitionEntry[]): Promise<void> {
    this.#logger.info('new partitions', { partitions: entries.map((e) => `${e.topic}-${e.partition}`) });
    await this.#electOfflineAndNew(entries);
  }

  // ---- partition state changes ------------------------------------------------------------------------------

  /** Elects leaders for New partitions (no state znode) and Offline ones (leader not alive). */
  async #electOfflineAndNew(entries: PartitionEntry[]): Promise<void> {
    const fence = this.#requireFence();
    const decided: { e: PartitionEntry; state: ZkPartitionState }[] = [];
    for (const e of entries) {
      if (e.state !== null || this.#ctx.topicsToDelete.has(e.topic)) continue;
      const leaderAndIsr = electForNewPartition(e.replicas, this.#ctx.isAlive);
      if (leaderAndIsr !== null) decided.push({ e, state: { controllerEpoch: fence.epoch, ...leaderAndIsr } });
    }
    // A create that fails because the state znode exists already (an earlier controller's) loads that state
    // instead; such a partition is then handled below as offline if its leader is not alive.
    const { created, failure } = await createNewPartitionStates(this.#zk, fence, decided);
    if (created.length > 0) {
      this.#sendLeaderAndIsr(created, true);
      this.#sendUpdateMetadata(this.#liveIds(), created);
    }
    if (failure !== null) throw failure;
    const offline = entries.filter((e) => e.state !== null && !this.#ctx.isAlive(e.state.leader) && !this.#ctx.topicsToDelete.has(e.topic));
    if (offline.length > 0) {
      const unclean = await this.#uncleanElectionEnabled(offline);
      await this.#changeLeadership(offline, (en, cur) => electForOfflinePartition(en.replicas, cur, this.#ctx.isAlive, unclean(en.topic)));
    }
  }

  /**
   * unclean.leader.election.enable per topic: the topic's own config in ZooKeeper, else the broker's setting.
   * Read only for topics with a partition whose ISR has no live member, the only case where it matters.
   */
  async #uncleanElectionEnabled(entries: PartitionEntry[]): Promise<(topic: string) => boolean> {
    const fallback = this.#opts.uncleanLeaderElectionEnable;
    const topics = new Set(entries.filter((e) => e.state !== null && !e.state.isr.some(this.#ctx.isAlive)).map((e) => e.topic));
    const byTopic = new Map<string, boolean>();
    const names = [...topics];
    const configs = await runWindowed(names, ZK_READ_WINDOW, (t) => this.#zk.topicConfig(t));
    names.forEach((t, i) => {
      const value = configs[i]?.['unclean.leader.election.enable'];
      if (value !== undefined) byTopic.set(t, value.trim().toLowerCase() === 'true');
    });
    return (topic) => byTopic.get(topic) ?? fallback;
  }

  /**
   * Applies a leadership decision to each partition: conditional writes of their state znodes, pipelined (see
   * writeLeadership: a stale version is re-read and decided again), then LeaderAndIsr to the live replicas and
   * UpdateMetadata to every broker, one request per broker for the whole batch.
   */
  async #changeLeadership(entries: PartitionEntry[], decide: Decide, notTo?: number): Promise<PartitionEntry[]> {
    const fence = this.#requireFence();
    const { changed, newerController, failure } = await writeLeadership(this.#zk, fence, entries, decide);
    if (newerController !== null) {
      this.#resignLocally(`partition state of ${newerController.topic}-${newerController.partition} was written by a newer controller`);
      return changed;
    }
    if (changed.length > 0) {
      logLeadershipChanged(this.#logger, changed);
      const to = notTo === undefined ? undefined : this.#liveIds().filter((id) => id !== notTo);
      this.#sendLeaderAndIsr(changed, false, to);
      this.#sendUpdateMetadata(this.#liveIds(), changed);
    }
    if (failure !== null) throw failure;
    return changed;
  }

  // ---- requests to brokers ----------------------------------------------------------------------------------

  #liveIds(): number[] {
    return [...this.#ctx.brokers.keys()];
  }

  #header(brokerId: number): { controllerId: number; controllerEpoch: number; brokerEpoch: number } {
    return { controllerId: this.#brokerId, controllerEpoch: this.epoch, brokerEpoch: this.#ctx.brokers.get(brokerId)?.epoch ?? -1 };
  }

  #sendLeaderAndIsr(entries: PartitionEntry[], isNew: boolean, only?: number[]): void {
    const byBroker = new Map<number, PartitionEntry[]>();
    for (const e of entries) {
      for (const r of e.replicas) {
        if (!this.#ctx.brokers.has(r) || (only !== undefined && !only.includes(r))) continue;
        let list = byBroker.get(r);
        if (list === undefined) byBroker.set(r, (list = []));
        list.push(e);
      }
    }
    const liveLeaders = this.#ctx.liveBrokers();
    for (const [brokerId, list] of byBroker) {
      const req: LeaderAndIsrRequest = {
        ...this.#header(brokerId),
        partitions: list.map((e) => ({ ...this.#ctx.metadataPartition(e), addingReplicas: [...e.addingReplicas], removingReplicas: [...e.removingReplicas], isNew })),
        topicIds: this.#ctx.topicIdsFor(list),
        liveLeaders,
      };
      this.#sender.send(brokerId, CONTROLLER_COMMANDS.leaderAndIsr, req, (resp) => {
        const r = resp as ControllerCommandResponse;
        const failed = r.partitionErrors?.filter((p) => p.errorCode !== 0) ?? [];
        if (r.errorCode !== 0 || failed.length > 0) this.#logger.warn('LeaderAndIsr reported errors', { brokerId, errorCode: r.errorCode, failed });
      });
    }
  }

  #sendStopReplica(brokerId: number, partitions: StopReplicaPartition[], onResponse?: (errorCode: number) => void): void {
    const req: StopReplicaRequest = { ...this.#header(brokerId), partitions };
    this.#sender.send(brokerId, CONTROLLER_COMMANDS.stopReplica, req, (resp) => {
      const r = resp as ControllerCommandResponse;
      const failed = r.partitionErrors?.find((p) => p.errorCode !== 0);
      onResponse?.(r.errorCode !== 0 ? r.errorCode : failed?.errorCode ?? 0);
    });
  }

  #sendUpdateMetadata(brokerIds: number[], entries: PartitionEntry[], leaderOverride?: number): void {
    const partitions = entries.map((e) => this.#ctx.metadataPartition(e, leaderOverride));
    const topicIds = this.#ctx.topicIdsFor(entries);
    const liveBrokers = this.#ctx.liveBrokers();
    for (const id of brokerIds) {
      const req: UpdateMetadataRequest = { ...this.#header(id), partitions, topicIds, liveBrokers };
      this.#sender.send(id, CONTROLLER_COMMANDS.updateMetadata, req);
    }
  }
}
