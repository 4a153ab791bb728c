import type { LogConfig } from '../log-config.js';
import { SegmentList } from '../segment-list.js';
import type { LogSegment } from '../log-segment.js';

/** What cleanability needs to know about a segment (LogSegment has all of it). */
export type CleanableSegment = Pick<LogSegment, 'baseOffset' | 'size' | 'largestTimestamp' | 'rollingBasedTimestamp'>;

export interface CleanableState {
  segments: readonly CleanableSegment[];
  config: Readonly<LogConfig>;
  /** The cleaner checkpoint for this log, undefined when it has none. */
  checkpoint: number | undefined;
  logStartOffset: number;
  logEndOffset: number;
  highWatermark: number;
  now: number;
}

/** Kafka's LogToClean, with LogCleanerManager.cleanableOffsets folded in. */
export interface CleanableLog {
  /** Where the dirty section starts (the checkpoint, clamped into the log). */
  firstDirtyOffset: number;
  /** Where the cleanable part ends: always a segment's base offset. */
  firstUncleanableOffset: number;
  cleanBytes: number;
  /** Bytes of the segments holding [firstDirtyOffset, firstUncleanableOffset). */
  cleanableBytes: number;
  /** cleanableBytes / (cleanBytes + cleanableBytes). */
  cleanableRatio: number;
  /** A dirty record is older than max.compaction.lag.ms. */
  needCompactionNow: boolean;
}

/** Base offset of the segment holding `offset` (of the first one when `offset` is below all). */
function floorBase(segments: readonly CleanableSegment[], offset: number): number {
  return segments[SegmentList.floorIndex(segments as readonly LogSegment[], offset)]?.baseOffset ?? 0;
}

/**
 * The first dirty offset: the checkpoint, or the log start offset when there is none, it is below the log start
 * or past the log end (the log was truncated or replaced).
 */
export function firstDirtyOffset(state: CleanableState): number {
  const { checkpoint, logStartOffset, logEndOffset } = state;
  if (checkpoint === undefined || checkpoint < logStartOffset || checkpoint > logEndOffset) return logStartOffset;
  return checkpoint;
}

/**
 * Kafka's cleanableOffsets: the first uncleanable offset is the least of the active segment's base offset, the
 * base of the segment holding the high watermark (records at or past it may still be truncated) and the base of the
 * first dirty segment with a record younger than min.compaction.lag.ms. needCompactionNow: the first batch of some
 * dirty segment is older than max.compaction.lag.ms.
 */
export function cleanableLog(state: CleanableState): CleanableLog {
  const { segments, config, now } = state;
  const firstDirty = firstDirtyOffset(state);
  const active = segments[segments.length - 1];
  const activeBase = active?.baseOffset ?? state.logEndOffset;
  const dirtyNonActive = segments.filter(
    (s, i) => s.baseOffset < activeBase && (segments[i + 1]?.baseOffset ?? Infinity) > firstDirty,
  );
  let firstUncleanable = Math.min(activeBase, floorBase(segments, state.highWatermark));
  if (config.minCompactionLagMs > 0) {
    const young = dirtyNonActive.find((s) => s.largestTimestamp > now - config.minCompactionLagMs);
    if (young !== undefined) firstUncleanable = Math.min(firstUncleanable, young.baseOffset);
  }
  let needCompactionNow = false;
  if (config.maxCompactionLagMs < Number.MAX_SAFE_INTEGER) {
    const firstTimestamps = dirtyNonActive.map((s) => s.rollingBasedTimestamp ?? -1).filter((t) => t > 0);
    needCompactionNow = firstTimestamps.length > 0 && Math.min(...firstTimestamps) < now - Math.max(config.maxCompactionLagMs, 0);
  }
  let cleanBytes = 0;
  let cleanableBytes = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === undefined) continue;
    if (s.baseOffset < firstDirty) cleanBytes += s.size;
    const end = segments[i + 1]?.baseOffset ?? Infinity;
    if (firstUncleanable > firstDirty && s.baseOffset < firstUncleanable && end > firstDirty) cleanableBytes += s.size;
  }
  const total = cleanBytes + cleanableBytes;
  return {
    firstDirtyOffset: firstDirty,
    firstUncleanableOffset: firstUncleanable,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: total === 0 ? 0 : cleanableBytes / total,
    needCompactionNow,
  };
}

/**
 * Whether the cleaner should take this log: dirty enough (ratio at least min.cleanable.dirty.ratio), or holding
 * a dirty record older than max.compaction.lag.ms, or holding tombstones whose delete horizon has passed
 * (`tombstoneHorizon`, remembered from the last pass, so they are removed without waiting for new writes).
 */
export function isCleanable(log: CleanableLog, config: Readonly<LogConfig>, now: number, tombstoneHorizon: number | undefined): boolean {
  if (log.cleanableBytes > 0 && (log.needCompactionNow || log.cleanableRatio >= config.minCleanableDirtyRatio)) return true;
  return tombstoneHorizon !== undefined && now >= tombstoneHorizon && log.cleanBytes > 0;
}
