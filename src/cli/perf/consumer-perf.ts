/**
 * The consumer perf run: reads the assigned partitions of a topic with Fetch v11 until `messages` records have
 * arrived. Each leader's partitions are dealt round robin to fetch lanes (up to `maxInFlight` per leader); a lane
 * keeps one Fetch in flight, so several fetches are in flight on each leader connection. A Fetch unanswered for its
 * max wait plus request.timeout.ms fails its connection, and stopping the run (done, --timeout-ms, a signal) ends
 * the fetches still waiting.
 * Batches are CRC-checked and counted from their headers (records are not decoded); control batches are skipped.
 * Like librdkafka, a lane sends its next Fetch as soon as a response is in and then checks that response.
 */
import type { Clock } from '../../util/clock.js';
import { decodeResponse } from '../../protocol/codec.js';
import { errorByCode, errorCode } from '../../protocol/error-codes.js';
import type { FetchResponse } from '../../protocol/apis/fetch/index.js';
import type { ListOffsetsResponse } from '../../protocol/apis/list-offsets/index.js';
import { BATCH, LOG_OVERHEAD, scanValidPrefix } from '../../protocol/record-batch.js';
import { scanBatches as scanHeaders } from '../../storage/batch-header.js';
import { allPartitionsFromStart, type ConsumerAssignment } from './consumer-assignment.js';
import { REQUEST_TIMEOUT_MS, type PerfCluster } from './perf-cluster.js';
import { PerfError } from './perf-error.js';
import type { ConsumerPerfOptions } from './perf-options.js';
import { PerfStats } from './perf-stats.js';
import { METADATA_TIMEOUT_MS } from './producer-perf.js';
import { prepareRequest, type RawKafkaClient } from './raw-kafka-client.js';

const FETCH_KEY = 1;
const FETCH_VERSION = 11;
const LIST_OFFSETS_KEY = 2;
const LIST_OFFSETS_VERSION = 1;
const EARLIEST_TIMESTAMP = -2n;
const MAX_WAIT_MS = 500;
const ERROR_BACKOFF_MS = 100;
const CLIENT_ID = 'streamkeeper-perf';
const OFFSET_OUT_OF_RANGE = errorCode('OFFSET_OUT_OF_RANGE');

export interface ConsumerPerfResult {
  readonly stats: PerfStats;
  /** From the start of the run (metadata included) to the last record counted. */
  readonly elapsedMs: number;
  /** From the start of the run to the first record; undefined when none came. */
  readonly firstRecordMs: number | undefined;
  readonly partitions: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

/** Records and bytes of the complete batches in `records` at or after `position`, and the next position. */
export function countBatches(records: Buffer, position: number): { records: number; bytes: number; nextPosition: number } {
  const scan = scanValidPrefix(records);
  const rest = records.length - scan.validBytes;
  // A last batch cut short by max_bytes is normal; a complete batch that fails its checks is not.
  if (scan.error !== undefined && rest >= LOG_OVERHEAD && records.readInt32BE(scan.validBytes + BATCH.BATCH_LENGTH) + LOG_OVERHEAD <= rest) {
    throw scan.error;
  }
  let count = 0;
  let bytes = 0;
  let next = position;
  for (const b of scan.batches) {
    if (b.lastOffset < position) continue;
    next = b.lastOffset + 1;
    if (b.isControl) continue;
    count += b.baseOffset >= position ? b.recordCount : b.lastOffset - position + 1;
    bytes += b.size;
  }
  return { records: count, bytes, nextPosition: next };
}

/**
 * The position after the complete batches in `records` at or after `position`, read from the batch headers only
 * (no CRC); countBatches checks the same batches and reaches the same position, or throws.
 */
export function nextPosition(records: Buffer, position: number): number {
  let next = position;
  scanHeaders(records, { verifyCrc: false, checkOffsets: false }, (b) => {
    if (b.lastOffset >= position) next = b.lastOffset + 1;
  });
  return next;
}

/** A round whose Fetches are written, and its responses to come (never rejects). */
interface SentRound {
  readonly responses: Promise<Round>;
}

/** One Fetch per leader of a lane's partitions, and the positions they were sent from. */
interface Round {
  readonly leaderless: boolean;
  readonly from: ReadonlyMap<number, number>;
  readonly fetches: readonly { readonly leader: number; readonly body: FetchResponse | undefined }[];
}

/**
 * Fetch lanes: each leader's partitions dealt round robin to at most `maxInFlight` lanes, so no more than that
 * many fetches are outstanding per leader. A partition stays in its lane for the run; after a leader moves, a lane
 * fetches from each leader it then needs.
 */
export function dealLanes(partitions: readonly number[], leaderOf: (partition: number) => number | undefined, maxInFlight: number): number[][] {
  const byLeader = new Map<number | undefined, number[]>();
  for (const p of [...partitions].sort((a, b) => a - b)) byLeader.set(leaderOf(p), [...(byLeader.get(leaderOf(p)) ?? []), p]);
  return [...byLeader.values()].flatMap((ps) => {
    const count = Math.min(ps.length, maxInFlight);
    return Array.from({ length: count }, (_, i) => ps.filter((_p, j) => j % count === i));
  });
}

export class ConsumerPerf {
  readonly stats: PerfStats;
  readonly #options: ConsumerPerfOptions;
  readonly #clock: Clock;
  readonly #cluster: PerfCluster;
  readonly #assignment: ConsumerAssignment;
  readonly #positions = new Map<number, number>();
  readonly #stop = new AbortController();
  #start = 0;
  #end: number | undefined;
  #firstRecordAt: number | undefined;
  #lastProgressAt = 0;
  #timedOut = false;
  #failure: PerfError | undefined;

  constructor(options: ConsumerPerfOptions, clock: Clock, cluster: PerfCluster, assignment: ConsumerAssignment = allPartitionsFromStart) {
    this.#options = options;
    this.#clock = clock;
    this.#cluster = cluster;
    this.#assignment = assignment;
    this.stats = new PerfStats(clock.now());
  }

  async run(signal?: AbortSignal): Promise<ConsumerPerfResult> {
    this.#start = this.#clock.now();
    this.#lastProgressAt = this.#start;
    this.stats.takeWindow(this.#start);
    const stop = (): void => this.#stop.abort();
    signal?.addEventListener('abort', stop, { once: true });
    const cancelWatchdog = this.#watchdog();
    try {
      await this.#cluster.waitForLeaders(METADATA_TIMEOUT_MS, this.#stop.signal);
      for (const [partition, offset] of await this.#assignment.assign(this.#cluster)) this.#positions.set(partition, offset);
      const lanes = dealLanes([...this.#positions.keys()], (p) => this.#cluster.leaderOf(p), this.#options.maxInFlight);
      await Promise.all(lanes.map(async (lane) => await this.#runLane(lane)));
    } finally {
      cancelWatchdog();
      signal?.removeEventListener('abort', stop);
    }
    if (this.#failure !== undefined) throw this.#failure;
    const end = this.#end ?? this.#clock.now();
    return {
      stats: this.stats,
      elapsedMs: end - this.#start,
      firstRecordMs: this.#firstRecordAt === undefined ? undefined : this.#firstRecordAt - this.#start,
      partitions: this.#positions.size,
      timedOut: this.#timedOut,
      aborted: signal?.aborted === true,
    };
  }

  /** Stops the run when no record arrived for timeoutMs; returns its cancel function. */
  #watchdog(): () => void {
    let cancel = (): void => undefined;
    const check = (): void => {
      const idle = this.#clock.now() - this.#lastProgressAt;
      if (idle >= this.#options.timeoutMs) {
        this.#timedOut = true;
        this.#stop.abort();
        return;
      }
      cancel = this.#clock.schedule(Math.min(1000, this.#options.timeoutMs - idle), check);
    };
    cancel = this.#clock.schedule(Math.min(1000, this.#options.timeoutMs), check);
    return () => cancel();
  }

  /**
   * A lane's loop. As librdkafka prefetches, once a round's responses are in, positions move past their complete
   * batches (read from the batch headers) and the next round goes out before this one's batches are CRC-checked
   * and counted, so the broker reads and sends the next response while this one is checked. A round with any
   * error or leaderless partition is handled first and the next one waits for a metadata refresh.
   */
  async #runLane(partitions: readonly number[]): Promise<void> {
    const signal = this.#stop.signal;
    let next: SentRound | undefined;
    while (!signal.aborted) {
      const round = await (next ?? (await this.#sendRound(partitions))).responses;
      next = undefined;
      if (this.#advance(round) && !signal.aborted) next = await this.#sendRound(partitions);
      if (!(await this.#check(round))) {
        await this.#cluster.refresh(signal).catch(() => undefined);
        await this.#cluster.sleep(ERROR_BACKOFF_MS, signal);
      }
    }
    await next?.responses; // never rejects; the stop ended its requests
  }

  /** Writes one Fetch to each leader of `partitions`, from their current positions; resolves once they are written. */
  async #sendRound(partitions: readonly number[]): Promise<SentRound> {
    const byLeader = new Map<number, number[]>();
    let leaderless = false;
    for (const p of partitions) {
      const leader = this.#cluster.leaderOf(p);
      if (leader === undefined) leaderless = true;
      else byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    const from = new Map(partitions.map((p) => [p, this.#positions.get(p) ?? 0]));
    const sent = await Promise.all([...byLeader].map(async ([leader, ps]) => ({ leader, ...(await this.#fetch(leader, ps, from)) })));
    const responses = Promise.all(sent.map(async ({ leader, body }) => ({ leader, body: await body })));
    return { responses: responses.then((fetches) => ({ leaderless, from, fetches })) };
  }

  /** Writes one Fetch for `partitions` to `leader`; its body resolves undefined when it failed (after counting it). */
  async #fetch(leader: number, partitions: readonly number[], from: ReadonlyMap<number, number>): Promise<{ readonly body: Promise<FetchResponse | undefined> }> {
    const request = prepareRequest(FETCH_KEY, FETCH_VERSION, {
      replicaId: -1,
      maxWaitMs: MAX_WAIT_MS,
      minBytes: 1,
      maxBytes: this.#options.fetchMaxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: this.#options.topic, partitions: partitions.map((p) => ({ partition: p, fetchOffset: BigInt(from.get(p) ?? 0), logStartOffset: -1n, currentLeaderEpoch: -1, partitionMaxBytes: Math.min(this.#options.fetchSize, this.#options.fetchMaxBytes) })) }],
      forgottenTopicsData: [],
      rackId: '',
    }, CLIENT_ID);
    const failed = (): undefined => {
      if (!this.#stop.signal.aborted) this.stats.error('NETWORK_EXCEPTION');
      return undefined;
    };
    let client: RawKafkaClient;
    try {
      client = await this.#cluster.client(leader);
    } catch {
      return { body: Promise.resolve(failed()) };
    }
    const frame = client.send(request, { timeoutMs: MAX_WAIT_MS + REQUEST_TIMEOUT_MS, signal: this.#stop.signal }); // written now
    const body = (async () => {
      try {
        return decodeResponse(await frame, FETCH_KEY, FETCH_VERSION).body as FetchResponse;
      } catch {
        return failed();
      }
    })();
    return { body };
  }

  /** Moves the positions of the round's good partitions past their complete batches; true when the whole round was good. */
  #advance(round: Round): boolean {
    let clean = !round.leaderless;
    for (const { body } of round.fetches) {
      if (body === undefined) {
        clean = false;
        continue;
      }
      for (const p of body.responses.flatMap((t) => t.partitions)) {
        if (p.errorCode !== 0) clean = false;
        else if (p.records !== null) this.#positions.set(p.partitionIndex, nextPosition(p.records, round.from.get(p.partitionIndex) ?? 0));
      }
    }
    return clean;
  }

  /** CRC-checks and counts the round's batches and handles its errors; false when something went wrong. */
  async #check(round: Round): Promise<boolean> {
    let ok = !round.leaderless;
    for (const { leader, body } of round.fetches) {
      if (body === undefined) {
        ok = false;
        continue;
      }
      for (const p of body.responses.flatMap((t) => t.partitions)) {
        if (this.#stop.signal.aborted) return ok;
        if (p.errorCode === 0) this.#consume(p.partitionIndex, p.records, round.from.get(p.partitionIndex) ?? 0);
        else if (p.errorCode === OFFSET_OUT_OF_RANGE) ok = (await this.#resetToEarliest(leader, p.partitionIndex)) && ok;
        else {
          const error = errorByCode(p.errorCode);
          this.stats.error(error.name);
          if (!error.retriable) this.#fail(new PerfError(`fetching ${this.#options.topic}-${p.partitionIndex} from broker ${leader} failed: ${error.name}`));
          ok = false;
        }
      }
    }
    return ok;
  }

  /** Counts the batches of a response fetched at `position` (the position already moved past them). */
  #consume(partition: number, records: Buffer | null, position: number): void {
    if (records === null || records.length === 0) return;
    let counted: ReturnType<typeof countBatches>;
    try {
      counted = countBatches(records, position);
    } catch (err) {
      this.#fail(new PerfError(`corrupt record batch in ${this.#options.topic}-${partition}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const now = this.#clock.now();
    this.#lastProgressAt = now;
    const wanted = Math.min(counted.records, this.#options.messages - this.stats.records);
    if (wanted <= 0) return;
    this.#firstRecordAt ??= now;
    this.stats.complete(wanted, counted.bytes);
    if (this.stats.records >= this.#options.messages) {
      this.#end = now;
      this.#stop.abort();
    }
  }

  async #resetToEarliest(leader: number, partition: number): Promise<boolean> {
    const topic = this.#options.topic;
    try {
      const client = await this.#cluster.client(leader);
      const r = await client.request<ListOffsetsResponse>(LIST_OFFSETS_KEY, LIST_OFFSETS_VERSION, {
        replicaId: -1,
        topics: [{ name: topic, partitions: [{ partitionIndex: partition, timestamp: EARLIEST_TIMESTAMP }] }],
      }, { timeoutMs: REQUEST_TIMEOUT_MS, signal: this.#stop.signal });
      const p = r.topics[0]?.partitions[0];
      if (p === undefined || p.errorCode !== 0) {
        this.stats.error(p === undefined ? 'UNKNOWN_SERVER_ERROR' : errorByCode(p.errorCode).name);
        return false;
      }
      this.#positions.set(partition, Number(p.offset));
      return true;
    } catch {
      this.stats.error('NETWORK_EXCEPTION');
      return false;
    }
  }

  #fail(err: PerfError): void {
    this.#failure ??= err;
    this.#stop.abort();
  }
}
