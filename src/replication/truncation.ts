/**
 * Where a follower truncates when the leader reports a diverging epoch (Kafka's AbstractFetcherThread
 * getOffsetTruncationState, KIP-101/KIP-279/KIP-595), as a pure function.
 *
 * - The leader has no end offset for us (-1): fall back to our high watermark.
 * - The leader has no epoch, or we have no entry at or below its epoch: truncate to the leader's end offset.
 * - Our floor epoch differs from the leader's: truncate to our end of that epoch (the next fetch compares again).
 * - Same epoch: truncate to the smaller of the two end offsets.
 * Never beyond our own log end offset.
 */
export function divergenceTruncationOffset(
  leader: { epoch: number; endOffset: number },
  follower: { epoch: number; endOffset: number },
  followerLogEndOffset: number,
  followerHighWatermark: number,
): number {
  let target: number;
  if (leader.endOffset < 0) target = followerHighWatermark;
  else if (leader.epoch < 0 || follower.epoch < 0) target = leader.endOffset;
  else if (follower.epoch !== leader.epoch) target = follower.endOffset;
  else target = Math.min(leader.endOffset, follower.endOffset);
  return Math.max(0, Math.min(target, followerLogEndOffset));
}
