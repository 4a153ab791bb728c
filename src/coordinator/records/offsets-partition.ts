/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The `__consumer_offsets` partition that holds a group: Kafka's `Utils.abs(groupId.hashCode) % numPartitions`,
 * where Utils.abs maps Integer.MIN_VALUE to 0.
 */
export function offsetsPartitionFor(groupId: string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new RangeError(`offsets topic partition count must be a positive integer, got ${numPartitions}`);
  }
  const h = javaStringHashCode(groupId);
  const abs = h === -0x80000000 ? 0 : Math.abs(h);
  return abs % numPartitions;
}
