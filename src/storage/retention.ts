import type { LogConfig } from './log-config.js';

/** What retention needs to know about a segment. */
export interface RetentionSegment {
  readonly baseOffset: number;
  readonly size: number;
  readonly largestTimestamp: number;
}

export interface RetentionState {
  now: number;
  config: Readonly<LogConfig>;
  logStartOffset: number;
  logEndOffset: number;
  /** Only segments wholly below the high watermark may go. */
  highWatermark: number;
}

/**
 * Kafka's deletableSegments: the longest prefix of segments for which `predicate` holds, each of them wholly below
 * the high watermark, never the last segment when it is empty.
 */
function deletablePrefix<S extends RetentionSegment>(
  segments: readonly S[],
  state: RetentionState,
  predicate: (segment: S, next: S | undefined) => boolean,
): S[] {
  const deletable: S[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === undefined) break;
    const next = segments[i + 1];
    const upperBoundOffset = next === undefined ? state.logEndOffset : next.baseOffset;
    const isLastAndEmpty = next === undefined && segment.size === 0;
    if (state.highWatermark < upperBoundOffset || isLastAndEmpty || !predicate(segment, next)) break;
    deletable.push(segment);
  }
  return deletable;
}

/** Segments entirely below the log start offset. */
export function logStartOffsetBreached<S extends RetentionSegment>(segments: readonly S[], state: RetentionState): S[] {
  return deletablePrefix(segments, state, (_segment, next) => next !== undefined && next.baseOffset <= state.logStartOffset);
}

/** Oldest segments whose removal keeps the log at or above retention.bytes. */
export function retentionSizeBreached<S extends RetentionSegment>(segments: readonly S[], state: RetentionState): S[] {
  const retentionBytes = state.config.retentionBytes;
  const total = segments.reduce((sum, s) => sum + s.size, 0);
  if (retentionBytes < 0 || total < retentionBytes) return [];
  let diff = total - retentionBytes;
  return deletablePrefix(segments, state, (segment) => {
    if (diff - segment.size < 0) return false;
    diff -= segment.size;
    return true;
  });
}

/** Oldest segments whose largest timestamp is older than retention.ms. */
export function retentionMsBreached<S extends RetentionSegment>(segments: readonly S[], state: RetentionState): S[] {
  const retentionMs = state.config.retentionMs;
  if (retentionMs < 0) return [];
  return deletablePrefix(segments, state, (segment) => state.now - segment.largestTimestamp > retentionMs);
}
