import type { OffsetAndMetadata } from '../records/coordinator-record.js';
import type { TopicPartitionRef } from './group-api.js';

export interface OffsetEntry {
  readonly tp: TopicPartitionRef;
  readonly value: OffsetAndMetadata;
}

/** The map key of a topic partition. */
function keyOf(tp: TopicPartitionRef): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

/**
 * A group's committed offsets plus the commits whose append is still in flight (Kafka's `offsets` and
 * `pendingOffsetCommits`). A commit becomes visible only once its append succeeded.
 */
export class GroupOffsets {
  #offsets = new Map<string, OffsetEntry>();
  #pending = new Map<string, OffsetEntry>();

  /** Committed or in-flight offsets exist (an Empty group with none may become Dead). */
  get hasOffsets(): boolean {
    return this.#offsets.size > 0 || this.#pending.size > 0;
  }

  get(tp: TopicPartitionRef): OffsetAndMetadata | undefined {
    return this.#offsets.get(keyOf(tp))?.value;
  }

  all(): OffsetEntry[] {
    return [...this.#offsets.values()];
  }

  hasPending(tp: TopicPartitionRef): boolean {
    return this.#pending.has(keyOf(tp));
  }

  /** Loading: one replayed offset record becomes the committed state of its partition; a tombstone removes it. */
  replay(tp: TopicPartitionRef, value: OffsetAndMetadata | null): void {
    if (value === null) this.#offsets.delete(keyOf(tp));
    else this.#offsets.set(keyOf(tp), { tp, value });
  }

  prepareCommit(entries: readonly OffsetEntry[]): void {
    for (const e of entries) this.#pending.set(keyOf(e.tp), e);
  }

  /** The append of `entry` succeeded: it becomes visible unless the partition's offsets were deleted meanwhile. */
  onCommitAppended(entry: OffsetEntry): void {
    const key = keyOf(entry.tp);
    const pending = this.#pending.get(key);
    if (pending === undefined) return;
    this.#offsets.set(key, entry);
    if (pending.value === entry.value) this.#pending.delete(key);
  }

  onCommitFailed(entry: OffsetEntry): void {
    const key = keyOf(entry.tp);
    if (this.#pending.get(key)?.value === entry.value) this.#pending.delete(key);
  }

  /** Removes the offsets (and in-flight commits) of `tps`; returns the committed offsets that were removed. */
  remove(tps: readonly TopicPartitionRef[]): OffsetEntry[] {
    const removed: OffsetEntry[] = [];
    for (const tp of tps) {
      const key = keyOf(tp);
      this.#pending.delete(key);
      const entry = this.#offsets.get(key);
      if (entry !== undefined) {
        this.#offsets.delete(key);
        removed.push(entry);
      }
    }
    return removed;
  }

  removeAll(): OffsetEntry[] {
    return this.remove(this.all().map((e) => e.tp));
  }

  /**
   * Removes and returns the expired offsets (Kafka 2.1+ rules): an explicit expireTimestamp wins; otherwise an offset
   * expires when `now - baseTimestamp(offset) >= retentionMs`. Offsets with an in-flight commit and offsets of
   * `keepTopics` never expire.
   */
  expire(
    now: number,
    retentionMs: number,
    baseTimestamp: (value: OffsetAndMetadata) => number,
    keepTopics: ReadonlySet<string> = new Set(),
  ): OffsetEntry[] {
    const expired = this.all().filter(({ tp, value }) => {
      if (keepTopics.has(tp.topic) || this.#pending.has(keyOf(tp))) return false;
      if (value.expireTimestamp !== null) return now >= value.expireTimestamp;
      return now - baseTimestamp(value) >= retentionMs;
    });
    for (const e of expired) this.#offsets.delete(keyOf(e.tp));
    return expired;
  }
}
