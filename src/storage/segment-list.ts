import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
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
    for (const segment of segments) {
      await segment.renameToDeleted();
      const cancel = this.#clock.schedule(delayMs, () => {
        this.#scheduled.delete(segment);
        segment.deleteRenamedFiles().catch((err: unknown) => {
          this.#logger.warn('Failed to delete segment files', { segment: segment.baseOffset, error: String(err) });
        });
      });
      this.#scheduled.set(segment, cancel);
    }
  }

  /** Delete every segment still waiting for its delayed deletion now (on close). */
  async deleteScheduledNow(): Promise<void> {
    for (const [segment, cancel] of this.#scheduled) {
      cancel();
      await segment.deleteRenamedFiles();
    }
    this.#scheduled.clear();
  }
}
