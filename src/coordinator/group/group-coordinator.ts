import { randomUUID } from 'node:crypto';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import type { CoordinatorLog } from './coordinator-log.js';
import type {
  DescribedGroup,
  HeartbeatParams,
  JoinGroupParams,
  JoinGroupResult,
  LeaveGroupParams,
  LeaveGroupResult,
  ListedGroup,
  OffsetCommitParams,
  OffsetDeleteResult,
  OffsetFetchParams,
  OffsetFetchResult,
  PartitionErrorResult,
  SyncGroupParams,
  SyncGroupResult,
  TopicPartitionRef,
} from './group-api.js';
import { joinError, syncError } from './group-metadata.js';
import { GroupStore } from './group-store.js';
import { Rebalancer } from './rebalance.js';
import { doJoinGroup } from './join-group.js';
import { doHeartbeat, doLeaveGroup, doSyncGroup } from './membership-ops.js';
import { doCommitOffsets, doDeleteOffsets } from './offset-ops.js';
import { deleteGroups, describeError, describeGroup, listGroups } from './group-admin.js';
import { OffsetExpiry } from './offset-expiry.js';
import type { CoordinatorContext, GroupCoordinatorConfig } from './coordinator-context.js';

export type { GroupCoordinatorConfig } from './coordinator-context.js';

/** APIs that accept the empty group id (Kafka's isValidGroupId). */
type GroupApi = 'join' | 'sync' | 'heartbeat' | 'leave' | 'commit' | 'fetch' | 'deleteOffsets' | 'describe' | 'deleteGroups';
const EMPTY_ID_ALLOWED: ReadonlySet<GroupApi> = new Set(['commit', 'fetch', 'describe', 'deleteGroups']);

/**
 * Kafka's classic group coordinator (GroupCoordinator of 2.8-3.x) as a sans-io state machine: driven by request
 * calls, timed by the injected clock, persisting through the CoordinatorLog.
 */
export class GroupCoordinator {
  readonly #ctx: CoordinatorContext;
  readonly #expiry: OffsetExpiry;
  #active = false;

  constructor(opts: { config: GroupCoordinatorConfig; log: CoordinatorLog; clock: Clock; logger: Logger; newUuid?: () => string }) {
    const { config, log, clock, logger } = opts;
    const store = new GroupStore({
      offsetsTopicPartitions: config.offsetsTopicPartitions,
      offsetMetadataMaxBytes: config.offsetMetadataMaxBytes,
      log,
      clock,
      logger,
    });
    const rebalancer = new Rebalancer(config, store, clock, logger);
    this.#ctx = {
      config,
      store,
      rebalancer,
      clock,
      logger,
      newUuid: opts.newUuid ?? randomUUID,
    };
    this.#expiry = new OffsetExpiry(store, clock, logger, config);
  }

  /** Starts serving and the offset-expiry task. */
  startup(): void {
    this.#active = true;
    this.#expiry.start();
    this.#ctx.logger.info('group coordinator started');
  }

  /** Stops serving: every timer is cancelled and parked Join/Sync requests get NOT_COORDINATOR. */
  shutdown(): void {
    this.#active = false;
    this.#expiry.stop();
    this.#ctx.store.unloadAll((g) => this.#ctx.rebalancer.onGroupUnloaded(g));
    this.#ctx.logger.info('group coordinator stopped');
  }

  partitionFor(groupId: string): number {
    return this.#ctx.store.partitionFor(groupId);
  }

  /** This broker leads `offsetsPartition`: load its groups (COORDINATOR_LOAD_IN_PROGRESS meanwhile). */
  async onElection(offsetsPartition: number, coordinatorEpoch: number): Promise<void> {
    this.#ctx.logger.info('elected group coordinator', { partition: offsetsPartition, coordinatorEpoch });
    await this.#ctx.store.load(offsetsPartition, coordinatorEpoch, (g) => this.#ctx.rebalancer.onGroupLoaded(g));
  }

  /** This broker no longer leads `offsetsPartition`: unload its groups (NOT_COORDINATOR afterwards). */
  onResignation(offsetsPartition: number, coordinatorEpoch: number): void {
    this.#ctx.logger.info('resigned group coordinator', { partition: offsetsPartition, coordinatorEpoch });
    this.#ctx.store.unload(offsetsPartition, coordinatorEpoch, (g) => this.#ctx.rebalancer.onGroupUnloaded(g));
  }

  /** Kafka's validateGroupStatus: group id, active, loading, owned. */
  #validateGroupStatus(groupId: string, api: GroupApi): ErrorName | null {
    if (groupId === '' && !EMPTY_ID_ALLOWED.has(api)) return 'INVALID_GROUP_ID';
    if (!this.#active) return 'COORDINATOR_NOT_AVAILABLE';
    if (this.#ctx.store.isGroupLoading(groupId)) return 'COORDINATOR_LOAD_IN_PROGRESS';
    if (!this.#ctx.store.isGroupLocal(groupId)) return 'NOT_COORDINATOR';
    return null;
  }

  joinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    const error = this.#validateGroupStatus(p.groupId, 'join');
    if (error !== null) return Promise.resolve(joinError(p.memberId, error));
    const { groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs } = this.#ctx.config;
    if (p.sessionTimeoutMs < groupMinSessionTimeoutMs || p.sessionTimeoutMs > groupMaxSessionTimeoutMs) {
      return Promise.resolve(joinError(p.memberId, 'INVALID_SESSION_TIMEOUT'));
    }
    return new Promise((resolve) => doJoinGroup(this.#ctx, p, resolve));
  }

  syncGroup(p: SyncGroupParams): Promise<SyncGroupResult> {
    const error = this.#validateGroupStatus(p.groupId, 'sync');
    // While loading, the rebalance state is lost: REBALANCE_IN_PROGRESS sends the member back to JoinGroup.
    if (error === 'COORDINATOR_LOAD_IN_PROGRESS') return Promise.resolve(syncError('REBALANCE_IN_PROGRESS'));
    if (error !== null) return Promise.resolve(syncError(error));
    const group = this.#ctx.store.getGroup(p.groupId);
    if (group === undefined) return Promise.resolve(syncError('UNKNOWN_MEMBER_ID'));
    return new Promise((resolve) => doSyncGroup(this.#ctx, group, p, resolve));
  }

  heartbeat(p: HeartbeatParams): Promise<ErrorName> {
    const error = this.#validateGroupStatus(p.groupId, 'heartbeat');
    // While loading, heartbeats are answered blindly.
    if (error === 'COORDINATOR_LOAD_IN_PROGRESS') return Promise.resolve('NONE');
    if (error !== null) return Promise.resolve(error);
    return Promise.resolve(doHeartbeat(this.#ctx, this.#ctx.store.getGroup(p.groupId), p));
  }

  leaveGroup(p: LeaveGroupParams): Promise<LeaveGroupResult> {
    const error = this.#validateGroupStatus(p.groupId, 'leave');
    if (error !== null) return Promise.resolve({ error, members: [] });
    return Promise.resolve(doLeaveGroup(this.#ctx, this.#ctx.store.getGroup(p.groupId), p));
  }

  /**
   * OffsetCommit. `error` is set (and copied to every partition) when the coordinator itself cannot serve the group
   * (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...); otherwise NONE with per-partition errors.
   */
  async commitOffsets(p: OffsetCommitParams): Promise<{ error: ErrorName; partitions: PartitionErrorResult[] }> {
    const error = this.#validateGroupStatus(p.groupId, 'commit');
    if (error !== null) {
      return { error, partitions: p.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error })) };
    }
    return { error: 'NONE', partitions: await doCommitOffsets(this.#ctx, p) };
  }

  fetchOffsets(p: OffsetFetchParams): Promise<OffsetFetchResult> {
    const error = this.#validateGroupStatus(p.groupId, 'fetch');
    if (error !== null) return Promise.resolve({ error, partitions: [] });
    return Promise.resolve({
      error: 'NONE',
      partitions: this.#ctx.store.getOffsets(p.groupId, p.requireStable, p.partitions),
    });
  }

  async deleteOffsets(groupId: string, partitions: readonly TopicPartitionRef[]): Promise<OffsetDeleteResult> {
    const error = this.#validateGroupStatus(groupId, 'deleteOffsets');
    if (error !== null) return { error, partitions: [] };
    return doDeleteOffsets(this.#ctx, groupId, partitions);
  }

  /** ListGroups; `error` is COORDINATOR_LOAD_IN_PROGRESS while any partition loads (the loaded groups still listed). */
  listGroups(statesFilter: readonly string[]): { error: ErrorName; groups: ListedGroup[] } {
    if (!this.#active) return { error: 'COORDINATOR_NOT_AVAILABLE', groups: [] };
    const error = this.#ctx.store.isLoading ? 'COORDINATOR_LOAD_IN_PROGRESS' : 'NONE';
    return { error, groups: listGroups(this.#ctx.store, statesFilter) };
  }

  describeGroups(groupIds: readonly string[]): Promise<DescribedGroup[]> {
    return Promise.resolve(
      groupIds.map((groupId) => {
        const error = this.#validateGroupStatus(groupId, 'describe');
        return error !== null ? describeError(groupId, error) : describeGroup(groupId, this.#ctx.store.getGroup(groupId));
      }),
    );
  }

  /** DeleteGroups; one answer per requested id, in request order. */
  async deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; error: ErrorName }[]> {
    const unique = [...new Set(groupIds)];
    const errors = new Map<string, ErrorName>();
    const candidates: string[] = [];
    for (const groupId of unique) {
      const error = this.#validateGroupStatus(groupId, 'deleteGroups');
      if (error !== null) errors.set(groupId, error);
      else candidates.push(groupId);
    }
    for (const [groupId, error] of await deleteGroups(this.#ctx.store, candidates)) errors.set(groupId, error);
    return groupIds.map((groupId) => ({ groupId, error: errors.get(groupId) ?? 'UNKNOWN_SERVER_ERROR' }));
  }
}
