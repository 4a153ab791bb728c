import { parseOptions, UsageError, type OptionSpec, type ParsedOptions } from '../args.js';
import { DEFAULT_BOOTSTRAP_SERVER, PERF_CONSUME_USAGE, PERF_PRODUCE_USAGE } from '../usage.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export const ACKS = { none: 0, leader: 1, all: -1 } as const;
export type Acks = (typeof ACKS)[keyof typeof ACKS];

export const PERF_COMPRESSION = ['none', 'gzip'] as const;
export type PerfCompression = (typeof PERF_COMPRESSION)[number];

export interface ProducerPerfOptions {
  readonly topic: string;
  readonly recordSize: number;
  readonly numRecords: number;
  /** Records per second; -1 for as fast as possible. */
  readonly throughput: number;
  readonly acks: Acks;
  /** Bytes of records per batch (Kafka's batch.size), before compression. */
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly compression: PerfCompression;
  readonly bootstrap: readonly HostPort[];
  /** Produce requests outstanding per broker connection. */
  readonly maxInFlight: number;
  readonly requestTimeoutMs: number;
}

export interface ConsumerPerfOptions {
  readonly topic: string;
  readonly messages: number;
  readonly bootstrap: readonly HostPort[];
  /** Fetch max_bytes of each request. */
  readonly fetchMaxBytes: number;
  /** partition_max_bytes of each partition in a Fetch (Kafka's consumer perf test --fetch-size, max.partition.fetch.bytes). */
  readonly fetchSize: number;
  /** Give up when no record arrived for this long. */
  readonly timeoutMs: number;
  /** Fetch requests outstanding per broker connection. */
  readonly maxInFlight: number;
}

const DEFAULT_MAX_IN_FLIGHT = 5;
const DEFAULT_BATCH_SIZE = 16_384;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_FETCH_MAX_BYTES = 52_428_800;
/** Kafka's max.partition.fetch.bytes default. */
const DEFAULT_FETCH_SIZE = 1_048_576;
const DEFAULT_CONSUMER_TIMEOUT_MS = 10_000;
const MAX_BYTES = 0x7fffffff;

const COMMON_SPECS: Readonly<Record<string, OptionSpec>> = {
  topic: { type: 'string' },
  'bootstrap-server': { type: 'string' },
  'max-in-flight': { type: 'int', min: 1, max: 1000 },
};

const PRODUCE_SPECS: Readonly<Record<string, OptionSpec>> = {
  ...COMMON_SPECS,
  'record-size': { type: 'int', min: 1, max: 100 * 1024 * 1024 },
  'num-records': { type: 'int', min: 1 },
  throughput: { type: 'int', min: -1 },
  acks: { type: 'string' },
  'batch-size': { type: 'int', min: 1, max: MAX_BYTES },
  'linger-ms': { type: 'int', min: 0, max: 3_600_000 },
  compression: { type: 'string' },
  'request-timeout-ms': { type: 'int', min: 1, max: MAX_BYTES },
};

const CONSUME_SPECS: Readonly<Record<string, OptionSpec>> = {
  ...COMMON_SPECS,
  messages: { type: 'int', min: 1 },
  'fetch-max-bytes': { type: 'int', min: 1, max: MAX_BYTES },
  'fetch-size': { type: 'int', min: 1, max: MAX_BYTES },
  'timeout-ms': { type: 'int', min: 1 },
};

/** `host:port[,host:port...]`; IPv6 hosts in brackets (`[::1]:9092`). */
export function parseBootstrap(text: string, usage: string): HostPort[] {
  const servers = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (servers.length === 0) throw new UsageError(`--bootstrap-server needs host:port, got '${text}'`, usage);
  return servers.map((server) => {
    const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(server);
    const port = Number(m?.[3]);
    const host = m?.[1] ?? m?.[2];
    if (host === undefined || !(port >= 1 && port <= 65_535)) {
      throw new UsageError(`--bootstrap-server needs host:port, got '${server}'`, usage);
    }
    return { host, port };
  });
}

function parseAcks(text: string): Acks {
  if (text === 'all' || text === '-1') return ACKS.all;
  if (text === '1') return ACKS.leader;
  if (text === '0') return ACKS.none;
  throw new UsageError(`option --acks must be 0, 1, all or -1, got '${text}'`, PERF_PRODUCE_USAGE);
}

function parseCompression(text: string): PerfCompression {
  const found = PERF_COMPRESSION.find((c) => c === text);
  if (found === undefined) throw new UsageError(`option --compression must be one of ${PERF_COMPRESSION.join(', ')}, got '${text}'`, PERF_PRODUCE_USAGE);
  return found;
}

function requiredInt(o: ParsedOptions, name: string, usage: string): number {
  const v = o.int(name);
  if (v === undefined) throw new UsageError(`missing required option --${name}`, usage);
  return v;
}

/** Options of `perf produce`; undefined when --help was asked for. Throws UsageError. */
export function parseProducerPerfArgs(args: readonly string[]): ProducerPerfOptions | undefined {
  const o = parseOptions(args, PRODUCE_SPECS, PERF_PRODUCE_USAGE);
  if (o.help) return undefined;
  const throughput = requiredInt(o, 'throughput', PERF_PRODUCE_USAGE);
  if (throughput === 0) throw new UsageError('option --throughput must be positive, or -1 for no limit', PERF_PRODUCE_USAGE);
  return {
    topic: o.requiredString('topic'),
    recordSize: requiredInt(o, 'record-size', PERF_PRODUCE_USAGE),
    numRecords: requiredInt(o, 'num-records', PERF_PRODUCE_USAGE),
    throughput,
    acks: parseAcks(o.string('acks') ?? 'all'),
    batchSize: o.int('batch-size') ?? DEFAULT_BATCH_SIZE,
    lingerMs: o.int('linger-ms') ?? 0,
    compression: parseCompression(o.string('compression') ?? 'none'),
    bootstrap: parseBootstrap(o.string('bootstrap-server') ?? DEFAULT_BOOTSTRAP_SERVER, PERF_PRODUCE_USAGE),
    maxInFlight: o.int('max-in-flight') ?? DEFAULT_MAX_IN_FLIGHT,
    requestTimeoutMs: o.int('request-timeout-ms') ?? DEFAULT_REQUEST_TIMEOUT_MS,
  };
}

/** Options of `perf consume`; undefined when --help was asked for. Throws UsageError. */
export function parseConsumerPerfArgs(args: readonly string[]): ConsumerPerfOptions | undefined {
  const o = parseOptions(args, CONSUME_SPECS, PERF_CONSUME_USAGE);
  if (o.help) return undefined;
  return {
    topic: o.requiredString('topic'),
    messages: requiredInt(o, 'messages', PERF_CONSUME_USAGE),
    bootstrap: parseBootstrap(o.string('bootstrap-server') ?? DEFAULT_BOOTSTRAP_SERVER, PERF_CONSUME_USAGE),
    fetchMaxBytes: o.int('fetch-max-bytes') ?? DEFAULT_FETCH_MAX_BYTES,
    fetchSize: o.int('fetch-size') ?? DEFAULT_FETCH_SIZE,
    timeoutMs: o.int('timeout-ms') ?? DEFAULT_CONSUMER_TIMEOUT_MS,
    maxInFlight: o.int('max-in-flight') ?? DEFAULT_MAX_IN_FLIGHT,
  };
}
