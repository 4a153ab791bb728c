import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { ErrorName } from '../../protocol/error-codes.js';
import type { CoordinatorRecord } from '../records/coordinator-record.js';
import type { CoordinatorLog } from './coordinator-log.js';
import { GROUP_STATE, type OffsetFetchResult, type TopicPartitionRef } from './group-api.js';
import type { GroupMetadata } from './group-metadata.js';
import type { OffsetEntry } from './group-offsets.js';
import { replayOffsetsPartition, type ReplayResult } from './group-loader.js';
import { storeGroupError, storeOffsetsError } from './append-errors.js';
import { offsetsPartitionFor } from '../records/offsets-partition.js';

export interface GroupStoreOptions {
  offsetsTopicPartitions: number;
  offsetMetadataMaxBytes: number;
  log: CoordinatorLog;
  clock: Clock;
  logger: Logger;
}

type OffsetFetchEntry = OffsetFetchResult['partitions'][number];

/**
 * The group cache and its `__consumer_offsets` partitions (Kafka's GroupMetadataManager): which partitions this
 * coordinator owns or is loading, coordinator epochs, loading and unloading, and every write to the log.
 */
export class GroupStore {
  readonly #opts: GroupStoreOptions;
  readonly #groups = new Map<string, GroupMetadata>();
  readonly #owned = new Set<number>();
  readonly #loading = new Set<number>();
  readonly #epochs = new Map<number, number>();
  /** Bumped by every election and resignation of a partition; a load whose token is stale discards itself. */
  readonly #loadTokens = new Map<number, number>();

  constructor(opts: GroupStoreOptions) {
    this.#opts = opts;
  }

  partitionFor(groupId: string): number {
    return offsetsPartitionFor(groupId, this.#opts.offsetsTopicPartitions);
  }

  isGroupLocal(groupId: string): boolean {
    return this.#owned.has(this.partitionFor(groupId));
  }

  isGroupLoading(groupId: string): boolean {
    return this.#loading.has(this.partitionFor(groupId));
  }

  get isLoading(): boolean {
    return this.#loading.size > 0;
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.#groups.get(groupId);
  }

  /** Adds the group unless one with its id is cached; returns the cached one. */
  addGroup(group: GroupMetadata): GroupMetadata {
    const existing = this.#groups.get(group.groupId);
    if (existing !== undefined) return existing;
    this.#groups.set(group.groupId, group);
    return group;
  }

  currentGroups(): GroupMetadata[] {
    return [...this.#groups.values()];
  }

  /** The group is owned here and unknown (or Dead): GROUP_ID_NOT_FOUND rather than NOT_COORDINATOR. */
  groupNotExists(groupId: string): boolean {
    if (!this.isGroupLocal(groupId)) return false;
    const group = this.#groups.get(groupId);
    return group === undefined || group.is(GROUP_STATE.Dead);
  }

  /** Writes the group record (value v3) with the given assignments; resolves with the mapped error. */
  async storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): Promise<ErrorName> {
    const record: CoordinatorRecord = { type: 'group', groupId: group.groupId, value: group.toStored(assignment) };
    const error = await this.#opts.log.append(this.partitionFor(group.groupId), [record]);
    if (error !== 'NONE') {
      this.#opts.logger.warn('group metadata append failed', {
        groupId: group.groupId,
        generationId: group.generationId,
        error,
      });
    }
    return error === 'NONE' ? 'NONE' : storeGroupError(error);
  }

  /**
   * Appends offset commits; they become visible only when the append succeeded. Entries whose metadata exceeds
   * offset.metadata.max.bytes are not written and answer OFFSET_METADATA_TOO_LARGE.
   */
  async storeOffsets(group: GroupMetadata, entries: readonly OffsetEntry[]): Promise<ErrorName[]> {
    const tooLarge = (e: OffsetEntry): boolean => e.value.metadata.length > this.#opts.offsetMetadataMaxBytes;
    const accepted = entries.filter((e) => !tooLarge(e));
    if (accepted.length === 0) return entries.map(() => 'OFFSET_METADATA_TOO_LARGE');
    group.offsets.prepareCommit(accepted);
    const records: CoordinatorRecord[] = accepted.map((e) => ({
      type: 'offset',
      groupId: group.groupId,
      topic: e.tp.topic,
      partition: e.tp.partition,
      value: e.value,
    }));
    const appendError = await this.#opts.log.append(this.partitionFor(group.groupId), records);
    if (!group.is(GROUP_STATE.Dead)) {
      for (const e of accepted) {
        if (appendError === 'NONE') group.offsets.onCommitAppended(e);
        else group.offsets.onCommitFailed(e);
      }
    }
    const error = appendError === 'NONE' ? 'NONE' : storeOffsetsError(appendError);
    return entries.map((e) => (tooLarge(e) ? 'OFFSET_METADATA_TOO_LARGE' : error));
  }

  /** OffsetFetch: committed offsets, -1/""/-1 for unknown ones; `partitions` null means all of the group's. */
  getOffsets(groupId: string, requireStable: boolean, partitions: readonly TopicPartitionRef[] | null): OffsetFetchEntry[] {
    const none = (tp: TopicPartitionRef, error: ErrorName = 'NONE'): OffsetFetchEntry => ({
      topic: tp.topic,
      partition: tp.partition,
      offset: -1,
      leaderEpoch: -1,
      metadata: '',
      error,
    });
    const group = this.#groups.get(groupId);
    if (group === undefined || group.is(GROUP_STATE.Dead)) return (partitions ?? []).map((tp) => none(tp));
    const tps = partitions ?? group.offsets.all().map((e) => e.tp);
    return tps.map((tp) => {
      if (requireStable && group.offsets.hasPending(tp)) return none(tp, 'UNSTABLE_OFFSET_COMMIT');
      const value = group.offsets.get(tp);
      if (value === undefined) return none(tp);
      return { ...none(tp), offset: value.offset, leaderEpoch: value.leaderEpoch, metadata: value.metadata };
    });
  }

  /**
   * Removes offsets chosen by `selector` from each group and writes their tombstones; an Empty group left without
   * offsets becomes Dead, leaves the cache and (if it ever had a generation) gets a group tombstone.
   * Append failures are logged and ignored: the next expiry run retries. Returns the number of offsets removed.
   */
  async cleanupGroupMetadata(
    groups: readonly GroupMetadata[],
    selector: (group: GroupMetadata) => OffsetEntry[],
  ): Promise<number> {
    let removedCount = 0;
    const appends: Promise<void>[] = [];
    for (const group of groups) {
      const removed = selector(group);
      if (group.is(GROUP_STATE.Empty) && !group.offsets.hasOffsets) group.transitionTo(GROUP_STATE.Dead);
      const tombstones: CoordinatorRecord[] = removed.map((e) => ({
        type: 'offset',
        groupId: group.groupId,
        topic: e.tp.topic,
        partition: e.tp.partition,
        value: null,
      }));
      if (group.is(GROUP_STATE.Dead) && this.#groups.get(group.groupId) === group) {
        this.#groups.delete(group.groupId);
        group.cancelTimers();
        if (group.generationId > 0) tombstones.push({ type: 'group', groupId: group.groupId, value: null });
      }
      removedCount += removed.length;
      if (tombstones.length > 0) appends.push(this.#appendTombstones(group.groupId, tombstones));
    }
    await Promise.all(appends);
    return removedCount;
  }

  async #appendTombstones(groupId: string, tombstones: CoordinatorRecord[]): Promise<void> {
    const error = await this.#opts.log.append(this.partitionFor(groupId), tombstones);
    if (error !== 'NONE') {
      this.#opts.logger.warn('tombstone append failed', { groupId, count: tombstones.length, error });
    }
  }

  /** Kafka's maybeUpdateCoordinatorEpoch: true when `epoch` is at least the partition's known epoch. */
  #maybeUpdateEpoch(partition: number, epoch: number): boolean {
    const current = this.#epochs.get(partition);
    if (current === undefined || epoch > current) this.#epochs.set(partition, epoch);
    return this.#epochs.get(partition) === epoch;
  }

  #bumpToken(partition: number): number {
    const token = (this.#loadTokens.get(partition) ?? 0) + 1;
    this.#loadTokens.set(partition, token);
    return token;
  }

  /**
   * Loads a partition this coordinator now leads; its groups answer COORDINATOR_LOAD_IN_PROGRESS meanwhile. A
   * partition already owned or loading only takes the new epoch (Kafka's addLoadingPartition): nothing was appended
   * by anyone else while this broker kept leading it. One whose last load failed is loaded again.
   */
  async load(partition: number, epoch: number, onGroupLoaded: (group: GroupMetadata) => void): Promise<void> {
    if (!this.#maybeUpdateEpoch(partition, epoch)) {
      this.#opts.logger.info('not loading stale coordinator epoch', { partition, epoch });
      return;
    }
    if (this.#owned.has(partition) || this.#loading.has(partition)) return;
    const token = this.#bumpToken(partition);
    const stillWanted = (): boolean => this.#loadTokens.get(partition) === token;
    this.#loading.add(partition);
    const started = this.#opts.clock.now();
    let result: ReplayResult | null;
    try {
      const { clock, logger } = this.#opts;
      result = await replayOffsetsPartition(this.#opts.log.readAll(partition), { clock, logger, partition, stillWanted });
    } catch (err) {
      // Owning the partition without its groups would hand out empty groups and lose committed offsets: it stays
      // unowned (NOT_COORDINATOR) until the next election retries the load.
      this.#opts.logger.error('loading offsets partition failed', { partition, epoch, error: String(err) });
      if (stillWanted()) this.#loading.delete(partition);
      return;
    }
    if (result === null || !stillWanted()) return;
    if (result.corruptRecords > 0) {
      this.#opts.logger.error('skipped undecodable records while loading offsets partition', {
        partition,
        epoch,
        count: result.corruptRecords,
        first: result.firstError,
      });
    }
    for (const group of result.groups) {
      if (this.addGroup(group) === group) onGroupLoaded(group);
    }
    this.#owned.add(partition);
    this.#loading.delete(partition);
    this.#opts.logger.info('loaded offsets partition', {
      partition,
      epoch,
      groups: result.groups.length,
      ms: this.#opts.clock.now() - started,
    });
  }

  /** Unloads a partition this coordinator no longer leads (ignored for an epoch older than the known one). */
  unload(partition: number, epoch: number, onGroupUnloaded: (group: GroupMetadata) => void): void {
    if (!this.#maybeUpdateEpoch(partition, epoch)) {
      this.#opts.logger.info('not unloading stale coordinator epoch', { partition, epoch });
      return;
    }
    this.#bumpToken(partition);
    this.#owned.delete(partition);
    this.#loading.delete(partition);
    for (const group of this.currentGroups()) {
      if (this.partitionFor(group.groupId) !== partition) continue;
      onGroupUnloaded(group);
      this.#groups.delete(group.groupId);
    }
  }

  /** Unloads everything (coordinator shutdown). */
  unloadAll(onGroupUnloaded: (group: GroupMetadata) => void): void {
    for (const p of [...this.#owned, ...this.#loading]) this.#bumpToken(p);
    this.#owned.clear();
    this.#loading.clear();
    for (const group of this.currentGroups()) onGroupUnloaded(group);
    this.#groups.clear();
  }
}
