import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { SWAP_SUFFIX } from './log-segment.js';
import type { LogSegment } from './log-segment.js';

/**
 * A partition's segments ordered by base offset. The array is replaced, never mutated, so a reader may hold a
 * snapshot while the writer rolls or deletes. Removed segments are deleted the way Kafka does it: renamed to
 * `*.deleted` at once, closed and unlinked `file.delete.delay.ms` later (so in-flight reads finish first).
 */
export class SegmentList {
  #segments: readonly LogSegment[];
  #clock: Clock;
  #logger: Logger;
  #scheduled = new Map<LogSegment, () => void>();
  /** While pinned (the cleaner is reading old segments), delayed deletions wait here instead of closing files. */
  #pins = 0;
  #deferred: LogSegment[] = [];

  constructor(segments: readonly LogSegment[], clock: Clock, logger: Logger) {
    this.#segments = segments;
    this.#clock = clock;
    this.#logger = logger;
  }

  get all(): readonly LogSegment[] {
    return this.#segments;
  }

  /** The last segment; a log always has one. */
  get active(): LogSegment {
    const active = this.#segments[this.#segments.length - 1];
    if (active === undefined) throw new Error('log has no segments');
    return active;
  }

  get size(): number {
    let total = 0;
    for (const segment of this.#segments) total += segment.size;
    return total;
  }

  /** Index of the last segment whose base offset is <= `offset` (0 when `offset` is below every segment). */
  static floorIndex(segments: readonly LogSegment[], offset: number): number {
    let lo = 0;
    let hi = segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if ((segments[mid]?.baseOffset ?? 0) <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  add(segment: LogSegment): void {
    this.#segments = [...this.#segments, segment];
  }

  /** Take `segments` out of the list and delete them asynchronously after `delayMs`. */
  async remove(segments: readonly LogSegment[], delayMs: number): Promise<void> {
    const gone = new Set(segments);
    this.#segments = this.#segments.filter((s) => !gone.has(s));
    await this.#deleteLater(segments, delayMs);
  }

  async #deleteLater(segments: readonly LogSegment[], delayMs: number): Promise<void> {
    for (const segment of segments) {
      await segment.renameToDeleted();
      const cancel = this.#clock.schedule(delayMs, () => {
        this.#scheduled.delete(segment);
        if (this.#pins > 0) this.#deferred.push(segment);
        else this.#deleteFiles(segment);
      });
      this.#scheduled.set(segment, cancel);
    }
  }

  #deleteFiles(segment: LogSegment): void {
    segment.deleteRenamedFiles().catch((err: unknown) => {
      this.#logger.warn('Failed to delete segment files', { segment: segment.baseOffset, error: String(err) });
    });
  }

  /**
   * Keep removed segments' files open until the returned release is called (the cleaner reads old segments for
   * seconds; a truncation or retention meanwhile must not close a descriptor it is reading).
   */
  pin(): () => void {
    this.#pins++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#pins > 0) return;
      const deferred = this.#deferred;
      this.#deferred = [];
      for (const segment of deferred) this.#deleteFiles(segment);
    };
  }

  /**
   * Kafka's replaceSegments for the cleaner: `replacement` (files `*.cleaned`, same base offset as `old[0]`) takes
   * the place of the consecutive non-active segments `old`. Crash-safe order: rename the new files to `*.swap`,
   * swap the list, rename the old files to `*.deleted` (unlinked after `delayMs`, so in-flight reads finish), then
   * drop the `.swap` suffix. Returns false, changing nothing, when `old` is no longer a run of non-active segments
   * of this list (retention or truncation got there first).
   */
  async replace(old: readonly LogSegment[], replacement: LogSegment, delayMs: number): Promise<boolean> {
    const current = this.#segments;
    const start = old[0] === undefined ? -1 : current.indexOf(old[0]);
    if (start < 0 || start + old.length >= current.length || old.some((s, i) => current[start + i] !== s)) return false;
    await replacement.changeFileSuffix(SWAP_SUFFIX);
    this.#segments = [...current.slice(0, start), replacement, ...current.slice(start + old.length)];
    await this.#deleteLater(old, delayMs);
    await replacement.changeFileSuffix('');
    return true;
  }

  /** Delete every segment still waiting for its delayed deletion now (on close). */
  async deleteScheduledNow(): Promise<void> {
    for (const [segment, cancel] of this.#scheduled) {
      cancel();
      await segment.deleteRenamedFiles();
    }
    this.#scheduled.clear();
    const deferred = this.#deferred;
    this.#deferred = [];
    for (const segment of deferred) await segment.deleteRenamedFiles();
  }
}
