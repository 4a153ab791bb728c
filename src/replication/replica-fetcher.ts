import type { Partition } from '../cluster/partition.js';
import { REPLICA_FETCH } from '../cluster/replica-fetch.js';
import type { ReplicaFetchPartitionResponse, ReplicaFetchRequest, ReplicaFetchResponse } from '../cluster/replica-fetch.js';
import { errorByCode } from '../protocol/error-codes.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { divergenceTruncationOffset } from './truncation.js';

export interface ReplicaFetcherSettings {
  /** replica.fetch.wait.max.ms */
  maxWaitMs: number;
  /** replica.fetch.min.bytes */
  minBytes: number;
  /** replica.fetch.response.max.bytes */
  maxBytes: number;
  /** replica.fetch.max.bytes */
  partitionMaxBytes: number;
  /** replica.fetch.backoff.ms */
  backoffMs: number;
  /** replica.socket.timeout.ms: how long one fetch may take on the wire, beyond its own wait. */
  requestTimeoutMs: number;
}

/** Sends one fetch to the leader (over the peer channel). */
export type FetchSender = (leaderId: number, req: ReplicaFetchRequest, timeoutMs: number) => Promise<ReplicaFetchResponse>;

interface FetchState {
  partition: Partition;
  /** The leader epoch this fetch state was created for; responses for another epoch are dropped. */
  leaderEpoch: number;
  delayedUntil: number;
}

/** Errors after which the follower waits briefly for the leader (or itself) to learn the latest LeaderAndIsr. */
const LEADERSHIP_ERRORS: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'KAFKA_STORAGE_ERROR',
]);
const LEADERSHIP_RETRY_MS = 100;

/**
 * Kafka's ReplicaFetcherThread: one loop per source broker that long-polls the leader for every partition this
 * broker follows from it, appends what comes back with the leader's offsets, truncates a divergent tail, and by
 * its next fetch tells the leader how far it got.
 */
export class ReplicaFetcher {
  readonly leaderId: number;
  readonly #send: FetchSender;
  readonly #settings: ReplicaFetcherSettings;
  readonly #brokerEpoch: () => number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #states = new Map<string, FetchState>();
  #running = false;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(opts: { leaderId: number; send: FetchSender; settings: ReplicaFetcherSettings; brokerEpoch: () => number; clock: Clock; logger: Logger }) {
    this.leaderId = opts.leaderId;
    this.#send = opts.send;
    this.#settings = opts.settings;
    this.#brokerEpoch = opts.brokerEpoch;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
  }

  get size(): number {
    return this.#states.size;
  }

  add(key: string, partition: Partition): void {
    this.#states.set(key, { partition, leaderEpoch: partition.leaderEpoch, delayedUntil: 0 });
    this.#wake?.();
    if (!this.#running && !this.#closed) {
      this.#running = true;
      void this.#run();
    }
  }

  remove(key: string): void {
    this.#states.delete(key);
  }

  close(): void {
    this.#closed = true;
    this.#states.clear();
    this.#wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#closed && this.#states.size > 0) {
      try {
        const now = this.#clock.now();
        const ready = [...this.#states].filter(([, s]) => s.delayedUntil <= now);
        if (ready.length === 0) {
          const next = Math.min(...[...this.#states.values()].map((s) => s.delayedUntil));
          await this.#sleep(next - now);
          continue;
        }
        await this.#fetchOnce(ready);
      } catch (err) {
        this.#logger.error('replica fetcher iteration failed', { leaderId: this.leaderId, err: String(err) });
        await this.#sleep(this.#settings.backoffMs);
      }
    }
    this.#running = false;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.#clock.schedule(Math.max(1, ms), () => done());
      const done = (): void => {
        cancel();
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
    });
  }

  async #fetchOnce(ready: [string, FetchState][]): Promise<void> {
    const s = this.#settings;
    const req: ReplicaFetchRequest = {
      brokerEpoch: this.#brokerEpoch(),
      maxWaitMs: s.maxWaitMs,
      minBytes: s.minBytes,
      maxBytes: s.maxBytes,
      partitions: ready.map(([, st]) => ({
        topic: st.partition.topic,
        partition: st.partition.partition,
        currentLeaderEpoch: st.leaderEpoch,
        fetchOffset: st.partition.logEndOffset,
        lastFetchedEpoch: st.partition.log.latestEpoch,
        partitionMaxBytes: s.partitionMaxBytes,
      })),
    };
    let response: ReplicaFetchResponse;
    try {
      response = await this.#send(this.leaderId, req, s.maxWaitMs + s.requestTimeoutMs);
    } catch (err) {
      if (this.#closed) return;
      this.#logger.warn('fetch from leader failed', { leaderId: this.leaderId, err: String(err), partitions: ready.length });
      const until = this.#clock.now() + s.backoffMs;
      for (const [, st] of ready) st.delayedUntil = until;
      return;
    }
    for (let i = 0; i < response.partitions.length; i++) {
      const r = response.partitions[i];
      const sent = ready[i];
      if (r === undefined || sent === undefined) continue;
      const [key, st] = sent;
      if (this.#states.get(key) !== st || st.partition.leaderEpoch !== st.leaderEpoch || st.partition.isLeader || st.partition.isStopped) continue;
      try {
        await this.#process(st, r);
      } catch (err) {
        this.#logger.error('applying fetched data failed', { topic: r.topic, partition: r.partition, err: String(err) });
        st.delayedUntil = this.#clock.now() + s.backoffMs;
      }
    }
  }

  async #process(st: FetchState, r: ReplicaFetchPartitionResponse): Promise<void> {
    const p = st.partition;
    if (r.errorCode !== 0) {
      const name = errorByCode(r.errorCode).name;
      if (name === 'OFFSET_OUT_OF_RANGE') return this.#onOutOfRange(st, r);
      if (!LEADERSHIP_ERRORS.has(name)) this.#logger.warn('leader answered a fetch with an error', { topic: p.topic, partition: p.partition, error: name });
      st.delayedUntil = this.#clock.now() + (LEADERSHIP_ERRORS.has(name) ? LEADERSHIP_RETRY_MS : this.#settings.backoffMs);
      return;
    }
    if (r.divergingEpoch !== null) {
      const target = divergenceTruncationOffset(r.divergingEpoch, p.log.endOffsetForEpoch(r.divergingEpoch.epoch), p.logEndOffset, p.highWatermark);
      this.#logger.info('truncating divergent log', { topic: p.topic, partition: p.partition, leaderEpoch: r.divergingEpoch.epoch, leaderEndOffset: r.divergingEpoch.endOffset, from: p.logEndOffset, to: target });
      const before = { logEndOffset: p.logEndOffset, latestEpoch: p.log.latestEpoch };
      await p.truncateTo(target);
      if (p.logEndOffset === before.logEndOffset && p.log.latestEpoch === before.latestEpoch) {
        // Nothing changed, so the next fetch would get the same answer: do not spin on it.
        this.#logger.warn('divergence truncation changed nothing; backing off', { topic: p.topic, partition: p.partition, logEndOffset: p.logEndOffset, latestEpoch: before.latestEpoch });
        st.delayedUntil = this.#clock.now() + this.#settings.backoffMs;
      }
      return;
    }
    if (r.records !== null && r.records.length > 0) {
      const records = Buffer.isBuffer(r.records) ? r.records : Buffer.from(r.records.buffer, r.records.byteOffset, r.records.byteLength);
      await p.appendAsFollower(records, r.highWatermark);
    } else {
      p.updateFollowerHighWatermark(r.highWatermark);
    }
    if (r.logStartOffset > p.logStartOffset && r.logStartOffset <= p.logEndOffset) await p.advanceLogStartOffsetAsFollower(r.logStartOffset);
  }

  /** The leader does not have our fetch offset: we are ahead (truncate to its end) or behind its start (start over there). */
  async #onOutOfRange(st: FetchState, r: ReplicaFetchPartitionResponse): Promise<void> {
    const p = st.partition;
    if (r.logEndOffset >= 0 && p.logEndOffset > r.logEndOffset) {
      this.#logger.warn('follower is ahead of the leader; truncating', { topic: p.topic, partition: p.partition, from: p.logEndOffset, to: r.logEndOffset });
      await p.truncateTo(Math.max(r.logEndOffset, 0));
    } else if (r.logStartOffset >= 0 && p.logEndOffset < r.logStartOffset) {
      this.#logger.warn('follower is behind the leader log start; starting over', { topic: p.topic, partition: p.partition, from: p.logEndOffset, to: r.logStartOffset });
      await p.truncateFullyAndStartAt(r.logStartOffset);
    } else {
      // The leader's range covers us after all (it moved meanwhile): ask again later rather than at once.
      st.delayedUntil = this.#clock.now() + this.#settings.backoffMs;
    }
  }
}
