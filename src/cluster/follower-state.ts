/**
 * What a leader knows about one follower replica (Kafka's Replica): its log end offset as of its last fetch and
 * the last time it was caught up, which decides whether it stays in the ISR (`replica.lag.time.max.ms`).
 */
export class FollowerState {
  readonly brokerId: number;
  /** -1 until the follower's first fetch to this leader. */
  logEndOffset = -1;
  lastCaughtUpTimeMs: number;
  #lastFetchLeaderLogEndOffset = -1;
  #lastFetchTimeMs = 0;

  constructor(brokerId: number, lastCaughtUpTimeMs: number) {
    this.brokerId = brokerId;
    this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
  }

  /**
   * A fetch at `fetchOffset` arrived when the leader's log ended at `leaderLogEndOffset`. The follower was caught
   * up now if it asked for the leader's end; it was caught up at its previous fetch if it now asks for at least
   * what the leader had then.
   */
  updateFetchState(fetchOffset: number, leaderLogEndOffset: number, nowMs: number): void {
    if (fetchOffset >= leaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, nowMs);
    } else if (this.#lastFetchLeaderLogEndOffset >= 0 && fetchOffset >= this.#lastFetchLeaderLogEndOffset) {
      this.lastCaughtUpTimeMs = Math.max(this.lastCaughtUpTimeMs, this.#lastFetchTimeMs);
    }
    this.logEndOffset = fetchOffset;
    this.#lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    this.#lastFetchTimeMs = nowMs;
  }

  /**
   * This broker leads a new epoch (Kafka's makeLeader): every follower gets a fresh lag window, ISR members as
   * of now and the others as never caught up. The log end offset is kept when the same broker goes on leading.
   */
  resetForLeaderEpoch(nowMs: number, inIsr: boolean, leaderEpochStartOffset: number): void {
    this.lastCaughtUpTimeMs = inIsr ? nowMs : 0;
    this.#lastFetchLeaderLogEndOffset = leaderEpochStartOffset;
    this.#lastFetchTimeMs = nowMs;
  }

  /** Out of sync: behind the leader's end and not caught up for longer than `maxLagMs`. */
  isOutOfSync(leaderLogEndOffset: number, nowMs: number, maxLagMs: number): boolean {
    return this.logEndOffset !== leaderLogEndOffset && nowMs - this.lastCaughtUpTimeMs > maxLagMs;
  }
}
