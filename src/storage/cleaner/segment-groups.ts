/** What grouping needs to know about a segment (LogSegment has all of it). */
export interface GroupableSegment {
  readonly baseOffset: number;
  readonly size: number;
  readonly indexSizes: { offsetIndexBytes: number; timeIndexBytes: number };
}

const MAX_RELATIVE_OFFSET = 0x7fffffff;

/**
 * Kafka's groupSegmentsBySize: consecutive segments merged into one cleaned segment while the sum of their log
 * sizes stays within `maxSize` (segment.bytes), the sums of their offset and time index sizes within
 * `maxIndexSize` (segment.index.bytes), and every offset of the group stays within a 4-byte offset relative to the
 * group's base. The last offset of a segment is bounded by the next one's base or `firstUncleanableOffset`.
 */
export function groupSegmentsBySize<S extends GroupableSegment>(
  segments: readonly S[],
  maxSize: number,
  maxIndexSize: number,
  firstUncleanableOffset: number,
): S[][] {
  const groups: S[][] = [];
  let i = 0;
  while (i < segments.length) {
    const head = segments[i];
    if (head === undefined) break;
    const group = [head];
    let logSize = head.size;
    let offsetIndexSize = head.indexSizes.offsetIndexBytes;
    let timeIndexSize = head.indexSizes.timeIndexBytes;
    i++;
    for (; i < segments.length; i++) {
      const next = segments[i];
      if (next === undefined) break;
      const lastOffset = (segments[i + 1]?.baseOffset ?? firstUncleanableOffset) - 1;
      const sizes = next.indexSizes;
      if (
        logSize + next.size > maxSize ||
        offsetIndexSize + sizes.offsetIndexBytes > maxIndexSize ||
        timeIndexSize + sizes.timeIndexBytes > maxIndexSize ||
        lastOffset - head.baseOffset > MAX_RELATIVE_OFFSET
      ) {
        break;
      }
      group.push(next);
      logSize += next.size;
      offsetIndexSize += sizes.offsetIndexBytes;
      timeIndexSize += sizes.timeIndexBytes;
    }
    groups.push(group);
  }
  return groups;
}
