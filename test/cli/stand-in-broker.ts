// A tiny Kafka-protocol server for the perf tool tests: real sockets, answers Metadata v1 (from a topology shared by
// every stand-in of one cluster), Produce, ListOffsets v1 and Fetch v11, each partition's Fetch behaviour scripted.
import assert from 'node:assert/strict';
import net from 'node:net';
import { decodeRequest, encodeResponse } from '../../src/protocol/codec.js';
import { errorCode } from '../../src/protocol/error-codes.js';
import { FrameDecoder } from '../../src/protocol/frame-decoder.js';
import type { FetchRequest } from '../../src/protocol/apis/fetch/index.js';
import type { ListOffsetsRequest } from '../../src/protocol/apis/list-offsets/index.js';
import type { ProduceRequest } from '../../src/protocol/apis/produce/index.js';
import { BATCH, readBatchAt } from '../../src/protocol/record-batch.js';
import { readBaseOffset, readLastOffset } from '../../src/storage/batch-header.js';

const API = { produce: 0, fetch: 1, listOffsets: 2, metadata: 3 } as const;
const EARLIEST_TIMESTAMP = -2n;
const NOT_LEADER_OR_FOLLOWER = errorCode('NOT_LEADER_OR_FOLLOWER');
const OFFSET_OUT_OF_RANGE = errorCode('OFFSET_OUT_OF_RANGE');
const UNKNOWN_TOPIC_OR_PARTITION = errorCode('UNKNOWN_TOPIC_OR_PARTITION');

/** What Metadata answers: the topic's partitions and their leaders (tests move a leader by changing the map). */
export interface StandInTopology {
  readonly topic: string;
  /** Partition -> leader node id. */
  readonly leaders: Map<number, number>;
  /** Every stand-in of the cluster (a broker adds itself); the listening ones are listed in Metadata. */
  readonly brokers: StandInBroker[];
}

export function standInTopology(topic: string, leaders: Iterable<readonly [number, number]>): StandInTopology {
  return { topic, leaders: new Map(leaders), brokers: [] };
}

/** A partition's log on one stand-in, and how its Fetches are answered. */
export interface PartitionScript {
  /** Record batches (base offsets set, ascending, contiguous); the log starts at the first one's base offset. */
  readonly batches: readonly Buffer[];
  /** Error codes for the next Fetches of the partition, one shifted off per Fetch; then the log answers. */
  readonly errors?: number[];
  /** Never answer a Fetch that includes the partition. */
  readonly silent?: boolean;
}

/** One partition of one Fetch as the stand-in saw and answered it. */
export interface FetchSeen {
  readonly nodeId: number;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly errorCode: number;
  /** Records (control records included) in the batches served. */
  readonly records: number;
}

interface LogRange {
  readonly start: number;
  readonly end: number;
}

export class StandInBroker {
  readonly server = net.createServer((socket) => this.#serve(socket));
  /** Connections accepted so far. */
  connections = 0;
  readonly topology: StandInTopology;
  readonly nodeId: number;
  /** Produce: records appended per partition. */
  readonly records = new Map<number, number>();
  metadataRequests = 0;
  /** Metadata requests answered before the stand-in stops answering Metadata. */
  metadataAnswers = Infinity;
  /** Produce requests not yet answered, and the most there ever were at once. */
  pending = 0;
  maxPending = 0;
  /** Produce: error code for the next Produce to a partition (shifted off per request), else `always`, else 0. */
  readonly errors = new Map<number, number[]>();
  always = new Map<number, number>();
  /** Produce answers wait this long. */
  delayMs = 0;

  /** Fetch: each partition's log and script; a partition without one answers UNKNOWN_TOPIC_OR_PARTITION. */
  readonly logs = new Map<number, PartitionScript>();
  /** Fetch answers with data or an error wait this long; those with neither wait `emptyWaitMs` (a long poll). */
  fetchDelayMs = 0;
  emptyWaitMs = 50;
  /** Batches served per partition per Fetch (at least one, whatever partition_max_bytes says). */
  maxBatchesPerFetch = Infinity;
  /** Every partition of every Fetch, in arrival order. */
  readonly fetches: FetchSeen[] = [];
  /** Called for each partition of a Fetch once its answer is decided. */
  onFetch: ((seen: FetchSeen) => void) | undefined;
  /** Fetch requests not yet answered (never-answered ones until their connection closes), and the most at once. */
  pendingFetches = 0;
  maxPendingFetches = 0;
  /** ListOffsets: (partition, timestamp) of each partition asked about. */
  readonly listOffsets: { partition: number; timestamp: bigint }[] = [];
  /** ListOffsets is never answered when false. */
  answerListOffsets = true;
  readonly #sockets = new Set<net.Socket>();

  constructor(topology: StandInTopology, nodeId = 1) {
    this.topology = topology;
    this.nodeId = nodeId;
    topology.brokers.push(this);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.port;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Stops listening and drops every connection. */
  close(): void {
    this.server.close();
    for (const s of this.#sockets) s.destroy();
  }

  /** Fetch offsets of the Fetches that served `partition` some records, in order. */
  servedOffsets(partition: number): number[] {
    return this.fetches.filter((f) => f.partition === partition && f.records > 0).map((f) => f.fetchOffset);
  }

  #serve(socket: net.Socket): void {
    const decoder = new FrameDecoder(64 * 1024 * 1024);
    this.connections++;
    this.#sockets.add(socket);
    let unanswered = 0;
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#sockets.delete(socket);
      this.pendingFetches -= unanswered;
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        const { header, body } = decodeRequest(frame);
        const reply = (response: unknown): void => {
          if (socket.destroyed) return;
          for (const c of encodeResponse({ apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId }, response)) socket.write(c);
        };
        if (header.apiKey === API.metadata) this.#metadata(reply);
        else if (header.apiKey === API.produce) this.#produce(body as ProduceRequest, reply);
        else if (header.apiKey === API.listOffsets) this.#listOffsets(body as ListOffsetsRequest, reply);
        else if (header.apiKey === API.fetch && !this.#fetch(body as FetchRequest, reply)) unanswered++;
        else if (header.apiKey !== API.fetch) assert.fail(`stand-in broker got api key ${header.apiKey}`);
      }
    });
  }

  #metadata(reply: (response: unknown) => void): void {
    if (this.metadataRequests++ >= this.metadataAnswers) return;
    const { topic, leaders } = this.topology;
    const brokers = this.topology.brokers.filter((b) => b.server.listening).map((b) => ({ nodeId: b.nodeId, host: '127.0.0.1', port: b.port, rack: null }));
    const partitions = [...leaders].map(([p, leader]) => ({ errorCode: 0, partitionIndex: p, leaderId: leader, replicaNodes: [leader], isrNodes: [leader] }));
    reply({ brokers, controllerId: this.nodeId, topics: [{ errorCode: 0, name: topic, isInternal: false, partitions }] });
  }

  #produce(produce: ProduceRequest, reply: (response: unknown) => void): void {
    const p = produce.topicData[0]?.partitionData[0];
    assert.ok(p?.records instanceof Buffer);
    const code = this.errors.get(p.index)?.shift() ?? this.always.get(p.index) ?? 0;
    if (code === 0) this.records.set(p.index, (this.records.get(p.index) ?? 0) + readBatchAt(p.records, 0).recordCount);
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    setTimeout(() => {
      this.pending--;
      reply({ responses: [{ name: this.topology.topic, partitionResponses: [{ index: p.index, errorCode: code, baseOffset: 0n, logAppendTimeMs: -1n, logStartOffset: 0n, recordErrors: [], errorMessage: null }] }], throttleTimeMs: 0 });
    }, this.delayMs);
  }

  /** Earliest (-2) answers the log start, anything else the log end. */
  #listOffsets(request: ListOffsetsRequest, reply: (response: unknown) => void): void {
    const topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ partitionIndex, timestamp }) => {
        this.listOffsets.push({ partition: partitionIndex, timestamp });
        const range = this.#range(partitionIndex);
        if (range === undefined) return { partitionIndex, errorCode: UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n };
        return { partitionIndex, errorCode: 0, timestamp: -1n, offset: BigInt(timestamp === EARLIEST_TIMESTAMP ? range.start : range.end) };
      }),
    }));
    if (this.answerListOffsets) reply({ topics });
  }

  /** Answers (after a delay) unless a partition is silent; false when the request will never be answered. */
  #fetch(request: FetchRequest, reply: (response: unknown) => void): boolean {
    this.pendingFetches++;
    this.maxPendingFetches = Math.max(this.maxPendingFetches, this.pendingFetches);
    let silent = false;
    let anything = false;
    const responses = request.topics.map((t) => ({
      topic: t.topic,
      partitions: t.partitions.map(({ partition, fetchOffset, partitionMaxBytes }) => {
        const script = this.logs.get(partition);
        silent ||= script?.silent === true;
        const answer = this.#answerFetch(partition, Number(fetchOffset), partitionMaxBytes);
        const seen: FetchSeen = { nodeId: this.nodeId, partition, fetchOffset: Number(fetchOffset), errorCode: answer.errorCode, records: answer.records };
        this.fetches.push(seen);
        this.onFetch?.(seen);
        anything ||= answer.errorCode !== 0 || answer.records > 0;
        const range = this.#range(partition) ?? { start: -1, end: -1 };
        return {
          partitionIndex: partition, errorCode: answer.errorCode, highWatermark: BigInt(range.end), lastStableOffset: BigInt(range.end),
          logStartOffset: BigInt(range.start), abortedTransactions: null, preferredReadReplica: -1, records: answer.data,
        };
      }),
    }));
    if (silent) return false;
    setTimeout(() => {
      this.pendingFetches--;
      reply({ throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses });
    }, anything ? this.fetchDelayMs : this.emptyWaitMs);
    return true;
  }

  #answerFetch(partition: number, offset: number, maxBytes: number): { errorCode: number; records: number; data: Buffer | null } {
    const script = this.logs.get(partition);
    const scripted = script?.errors?.shift();
    if (scripted !== undefined) return { errorCode: scripted, records: 0, data: null };
    if (this.topology.leaders.get(partition) !== this.nodeId) return { errorCode: NOT_LEADER_OR_FOLLOWER, records: 0, data: null };
    const range = this.#range(partition);
    if (script === undefined || range === undefined) return { errorCode: UNKNOWN_TOPIC_OR_PARTITION, records: 0, data: null };
    if (offset < range.start || offset > range.end) return { errorCode: OFFSET_OUT_OF_RANGE, records: 0, data: null };
    const served: Buffer[] = [];
    let bytes = 0;
    let records = 0;
    for (const batch of script.batches) {
      // Headers only, no CRC check: a test may serve a corrupt batch.
      if (readLastOffset(batch, 0) < offset) continue;
      if (served.length >= this.maxBatchesPerFetch || (served.length > 0 && bytes + batch.length > maxBytes)) break;
      served.push(batch);
      bytes += batch.length;
      records += batch.readInt32BE(BATCH.RECORD_COUNT);
    }
    return { errorCode: 0, records, data: Buffer.concat(served) };
  }

  #range(partition: number): LogRange | undefined {
    const batches = this.logs.get(partition)?.batches;
    const first = batches?.[0];
    const last = batches?.[batches.length - 1];
    if (first === undefined || last === undefined) return undefined;
    return { start: readBaseOffset(first, 0), end: readLastOffset(last, 0) + 1 };
  }
}
