import { ManualClock } from '../../../src/util/clock.js';
import { Writable } from 'node:stream';
import winston from 'winston';
import type { Logger } from '../../../src/util/logger.js';
import type { ErrorName } from '../../../src/protocol/error-codes.js';
import type { CoordinatorRecord, RawCoordinatorRecord } from '../../../src/coordinator/records/coordinator-record.js';
import { encodeCoordinatorRecord } from '../../../src/coordinator/records/coordinator-record-codec.js';
import type { CoordinatorLog } from '../../../src/coordinator/group/coordinator-log.js';
import type { JoinGroupParams } from '../../../src/coordinator/group/group-api.js';
import { GroupCoordinator, type GroupCoordinatorConfig } from '../../../src/coordinator/group/group-coordinator.js';

/** In-memory CoordinatorLog: records appends, can fail or hold them, and can hold reads. */
export class FakeCoordinatorLog implements CoordinatorLog {
  readonly partitions = new Map<number, CoordinatorRecord[]>();
  /** When set for a partition, readAll yields these raw records instead of the encoded `partitions` ones. */
  readonly raw = new Map<number, RawCoordinatorRecord[]>();
  /** readAll rejects with this after yielding the records. */
  readFailure: Error | null = null;
  appendCalls = 0;
  #failures: ErrorName[] = [];
  #held: (() => void)[] = [];
  holdAppends = false;
  #readGate: Promise<void> | null = null;
  #openReadGate: (() => void) | null = null;

  records(partition = 0): CoordinatorRecord[] {
    return this.partitions.get(partition) ?? [];
  }

  /** The next appends fail with these errors, in order. */
  failNext(...errors: ErrorName[]): void {
    this.#failures.push(...errors);
  }

  /** Completes the held appends. */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const go of held) go();
  }

  get heldCount(): number {
    return this.#held.length;
  }

  /** readAll blocks before its first record until openReads(). */
  gateReads(): void {
    this.#readGate = new Promise((resolve) => (this.#openReadGate = resolve));
  }

  openReads(): void {
    this.#openReadGate?.();
    this.#readGate = null;
  }

  append(partition: number, records: readonly CoordinatorRecord[]): Promise<ErrorName> {
    this.appendCalls++;
    const failure = this.#failures.shift();
    const complete = (): ErrorName => {
      if (failure !== undefined) return failure;
      const list = this.partitions.get(partition) ?? [];
      list.push(...records);
      this.partitions.set(partition, list);
      return 'NONE';
    };
    if (!this.holdAppends) return Promise.resolve(complete());
    return new Promise((resolve) => this.#held.push(() => resolve(complete())));
  }

  /** How many times readAll was called (a load). */
  readCalls = 0;

  async *readAll(partition: number): AsyncIterable<RawCoordinatorRecord> {
    this.readCalls++;
    if (this.#readGate !== null) await this.#readGate;
    yield* this.raw.get(partition) ?? this.records(partition).map(encodeCoordinatorRecord);
    if (this.readFailure !== null) throw this.readFailure;
  }
}

export const TEST_CONFIG: GroupCoordinatorConfig = {
  offsetsTopicPartitions: 1,
  groupMinSessionTimeoutMs: 6000,
  groupMaxSessionTimeoutMs: 1_800_000,
  groupMaxSize: 100,
  groupInitialRebalanceDelayMs: 3000,
  offsetsRetentionMs: 7 * 24 * 3600 * 1000,
  offsetsRetentionCheckIntervalMs: 600_000,
  offsetMetadataMaxBytes: 4096,
};

export interface Harness {
  coordinator: GroupCoordinator;
  log: FakeCoordinatorLog;
  clock: ManualClock;
}

/** A started coordinator owning every partition (elected with epoch 0) over a fake log. */
export async function startCoordinator(
  config: Partial<GroupCoordinatorConfig> = {},
  log = new FakeCoordinatorLog(),
  logger: Logger = winston.createLogger({ silent: true }),
): Promise<Harness> {
  const clock = new ManualClock();
  let n = 0;
  const full = { ...TEST_CONFIG, ...config };
  const coordinator = new GroupCoordinator({
    config: full,
    log,
    clock,
    logger,
    newUuid: () => `uuid${++n}`,
  });
  coordinator.startup();
  for (let p = 0; p < full.offsetsTopicPartitions; p++) await coordinator.onElection(p, 0);
  return { coordinator, log, clock };
}

export interface LogEntry {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** A logger that keeps every entry (flush() before reading: winston delivers through streams). */
export function capturingLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: LogEntry, _encoding, done) {
      entries.push(info);
      done();
    },
  });
  return { logger: winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] }), entries };
}

/** ConsumerProtocol subscription bytes (v0) for the given topics. */
export function subscription(topics: readonly string[]): Buffer {
  const parts = [Buffer.from([0, 0]), int32(topics.length)];
  for (const t of topics) {
    const b = Buffer.from(t, 'utf8');
    parts.push(Buffer.from([b.length >> 8, b.length & 0xff]), b);
  }
  parts.push(int32(-1));
  return Buffer.concat(parts);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

export function joinParams(over: Partial<JoinGroupParams> = {}): JoinGroupParams {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    requireKnownMemberId: false,
    supportsSkipAssignment: false,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    rebalanceTimeoutMs: 60_000,
    sessionTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription(['t']) }],
    reason: null,
    ...over,
  };
}

/** Lets promise callbacks run. */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Tracks whether a promise has settled. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly value: T | undefined; promise: Promise<T> } {
  const state: { done: boolean; value: T | undefined; promise: Promise<T> } = { done: false, value: undefined, promise: p };
  p.then((v) => {
    state.done = true;
    state.value = v;
  }).catch(() => {});
  return state;
}
