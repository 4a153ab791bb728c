/**
 * Consumer-group participants for integration tests: kafkajs group members that record what they consume and
 * what they were assigned, kcat (librdkafka) balanced consumers as long-running processes, a raw FindCoordinator,
 * and a decoded read of `__consumer_offsets`.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import type { Admin, Consumer, ConsumerConfig, Kafka } from 'kafkajs';

import { killAndWait } from './broker-process.js';
import { newKafka } from './clients.js';
import {
  decodeOffsetsRecord,
  OFFSETS_TOPIC,
  offsetsPartitionFor,
  type DecodedOffsetsRecord,
  type GroupMetadataValue,
} from './consumer-offsets-decoder.js';
import { KafkajsReader } from './kafkajs-reader.js';
import { KCAT_PATH } from './kcat.js';
import { metadataV1Body, parseMetadataV1Cluster, RawConnection } from './raw-connection.js';
import { trackPid, untrackPid } from './reaper.js';
import { WireWriter } from './wire.js';

/** One message a group member handed to its `eachMessage`. */
export interface Consumed {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/** What kafkajs's GROUP_JOIN event reported. */
export interface JoinInfo {
  readonly memberId: string;
  readonly leaderId: string;
  readonly isLeader: boolean;
  readonly groupProtocol: string;
  /** The partitions of the subscribed topic assigned in this join, sorted. */
  readonly partitions: readonly number[];
}

export interface KafkajsMemberOptions {
  readonly bootstrap: readonly string[];
  readonly groupId: string;
  readonly topic: string;
  /** Also the kafkajs clientId. */
  readonly name: string;
  readonly fromBeginning?: boolean;
  readonly consumer?: Partial<ConsumerConfig>;
}

/** A kafkajs consumer in a group: eachMessage records every message; offsets are committed after each batch. */
export class KafkajsGroupMember {
  readonly name: string;
  readonly consumed: Consumed[] = [];
  readonly joins: JoinInfo[] = [];
  readonly crashes: Error[] = [];
  readonly #consumer: Consumer;
  #stopping = false;

  private constructor(name: string, consumer: Consumer) {
    this.name = name;
    this.#consumer = consumer;
  }

  static async start(opts: KafkajsMemberOptions): Promise<KafkajsGroupMember> {
    const kafka: Kafka = newKafka(opts.bootstrap, opts.name);
    const consumer = kafka.consumer({
      groupId: opts.groupId,
      sessionTimeout: 6000,
      heartbeatInterval: 300,
      rebalanceTimeout: 20_000,
      maxWaitTimeInMs: 200,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2000 },
      ...opts.consumer,
    });
    const member = new KafkajsGroupMember(opts.name, consumer);
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      const p = e.payload;
      member.joins.push({
        memberId: p.memberId,
        leaderId: p.leaderId,
        isLeader: p.isLeader,
        groupProtocol: p.groupProtocol,
        partitions: [...(p.memberAssignment[opts.topic] ?? [])].sort((a, b) => a - b),
      });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      member.crashes.push(e.payload.error);
      // kafkajs schedules a restart right after this event; one that races our stop() would run on forever.
      if (member.#stopping && e.payload.restart) setImmediate(() => void consumer.stop().catch(() => undefined));
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [opts.topic], fromBeginning: opts.fromBeginning ?? true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          member.consumed.push({
            member: opts.name,
            partition,
            offset: Number(message.offset),
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
          });
        },
      });
    } catch (err) {
      // Nobody gets this member to stop: its sockets would keep the test process alive.
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
    return member;
  }

  /** The latest join, if any. */
  get lastJoin(): JoinInfo | undefined {
    return this.joins.at(-1);
  }

  /** Stops fetching, commits what was processed and leaves the group. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#consumer.disconnect();
  }
}

/** The members' latest assignments if they split `partitions` exactly (disjoint, complete, none empty), else undefined. */
export function exactSplit(members: readonly KafkajsGroupMember[], partitions: number): Map<string, number[]> | undefined {
  const byMember = new Map<string, number[]>();
  const seen: number[] = [];
  for (const m of members) {
    const join = m.lastJoin;
    if (join === undefined || join.partitions.length === 0) return undefined;
    byMember.set(m.name, [...join.partitions]);
    seen.push(...join.partitions);
  }
  seen.sort((a, b) => a - b);
  const all = Array.from({ length: partitions }, (_, i) => i);
  return seen.length === all.length && seen.every((p, i) => p === all[i]) ? byMember : undefined;
}

/** One message printed by a kcat balanced consumer with the format `%p|%o|%k|%s\n`. */
export interface KcatConsumed {
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/** A rebalance kcat reported on stderr ("Group g rebalanced (memberid m): assigned: t [0], t [1]" or "revoked: ..."). */
export interface KcatRebalance {
  readonly memberId: string;
  readonly kind: 'assigned' | 'revoked';
  readonly partitions: readonly number[];
}

const KCAT_FORMAT = '%p|%o|%k|%s\\n';

/** A long-running `kcat -G` (librdkafka balanced consumer) process. */
export class KcatGroupMember {
  readonly name: string;
  readonly consumed: KcatConsumed[] = [];
  readonly rebalances: KcatRebalance[] = [];
  /** stdout lines that did not match the format (tests assert there are none). */
  readonly unparsed: string[] = [];
  readonly #child: ChildProcess;
  #stdout = '';
  #stderr = '';
  #stderrPartial = '';

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#onStdout(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.#onStderr(chunk.toString('utf8')));
  }

  /**
   * Starts `kcat -b <bootstrap> -G <groupId> -u -f '%p|%o|%k|%s\n' -X client.id=<name> -X auto.offset.reset=earliest
   * [-X k=v ...] <topic>`. Committed offsets are honoured (no -o), new groups start at the beginning.
   */
  static start(opts: {
    readonly bootstrap: readonly string[];
    readonly groupId: string;
    readonly topic: string;
    readonly name: string;
    readonly config?: Readonly<Record<string, string>>;
  }): KcatGroupMember {
    const config: Record<string, string> = {
      'client.id': opts.name,
      'auto.offset.reset': 'earliest',
      'topic.metadata.refresh.interval.ms': '1000',
      ...opts.config,
    };
    const args = ['-b', opts.bootstrap.join(','), '-G', opts.groupId, '-u', '-f', KCAT_FORMAT];
    for (const [k, v] of Object.entries(config)) args.push('-X', `${k}=${v}`);
    args.push(opts.topic);
    const child = spawn(KCAT_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const pid = child.pid;
    if (pid === undefined) throw new Error('could not spawn kcat');
    trackPid(pid);
    child.once('exit', () => untrackPid(pid));
    return new KcatGroupMember(opts.name, child);
  }

  #onStdout(text: string): void {
    this.#stdout += text;
    const lines = this.#stdout.split('\n');
    this.#stdout = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^(\d+)\|(\d+)\|([^|]*)\|(.*)$/.exec(line);
      if (m === null) this.unparsed.push(line);
      else this.consumed.push({ partition: Number(m[1]), offset: Number(m[2]), key: m[3] ?? '', value: m[4] ?? '' });
    }
  }

  #onStderr(text: string): void {
    this.#stderr += text;
    // kcat prints a rebalance line in several writes: only complete lines are parsed.
    const lines = (this.#stderrPartial + text).split('\n');
    this.#stderrPartial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /rebalanced \(memberid ([^)]*)\): (assigned|revoked): (.*)$/.exec(line);
      if (m === null) continue;
      const partitions = [...(m[3] ?? '').matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1])).sort((a, b) => a - b);
      this.rebalances.push({ memberId: m[1] ?? '', kind: m[2] === 'assigned' ? 'assigned' : 'revoked', partitions });
    }
  }

  /** Everything kcat wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** The latest assignment (empty after a revoke or before the first assignment). */
  get assignment(): readonly number[] {
    const last = this.rebalances.at(-1);
    return last?.kind === 'assigned' ? last.partitions : [];
  }

  get running(): boolean {
    return this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Sends `signal` (SIGTERM: kcat commits and leaves the group; SIGKILL: a crash) and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const { code, signal: exitSignal } = await killAndWait(this.#child, signal, graceMs);
    return { code, signal: exitSignal };
  }
}

/** FindCoordinator v0 for a group, asked of the broker on `port`: the coordinator's node id (or the error code). */
export async function findCoordinator(port: number, groupId: string): Promise<{ errorCode: number; nodeId: number; port: number }> {
  const conn = await RawConnection.connect(port);
  try {
    const r = await conn.request(10, 0, new WireWriter().string(groupId).build(), { timeoutMs: 10_000 });
    const errorCode = r.int16();
    const nodeId = r.int32();
    r.string(); // host
    return { errorCode, nodeId, port: r.int32() };
  } finally {
    conn.destroy();
  }
}

/** One decoded `__consumer_offsets` record with where it was read. */
export type OffsetsLogEntry = DecodedOffsetsRecord & { readonly partition: number; readonly offset: number; readonly timestamp: number };

/** Reads the given `__consumer_offsets` partitions up to their high watermarks and decodes every record. */
export async function readOffsetsPartitions(bootstrap: readonly string[], partitions: readonly number[]): Promise<OffsetsLogEntry[]> {
  const reader = await KafkajsReader.connect(bootstrap);
  try {
    const out: OffsetsLogEntry[] = [];
    for (const partition of partitions) {
      const { records } = await reader.readPartition(OFFSETS_TOPIC, partition);
      for (const r of records) {
        if (r.key === null) throw new Error(`${OFFSETS_TOPIC}-${partition}@${r.offset} has a null key`);
        out.push({ ...decodeOffsetsRecord(r.key, r.value), partition, offset: r.offset, timestamp: r.timestamp });
      }
    }
    return out;
  } finally {
    await reader.close();
  }
}

/** The value of the latest group metadata record of `groupId` (null for a tombstone, undefined when there is none). */
export async function latestGroupRecord(
  bootstrap: readonly string[],
  groupId: string,
  offsetsPartitions: number,
): Promise<GroupMetadataValue | null | undefined> {
  const entries = await readOffsetsPartitions(bootstrap, [offsetsPartitionFor(groupId, offsetsPartitions)]);
  let latest: GroupMetadataValue | null | undefined;
  for (const e of entries) {
    if (e.key.kind === 'group' && e.key.group === groupId) latest = e.value as GroupMetadataValue | null;
  }
  return latest;
}

/** Produces `count` messages `<prefix>-<i>` (key = value) with acks -1, spread by kafkajs's default partitioner. */
export async function produceNumbered(kafka: Kafka, topic: string, prefix: string, count: number, perSend = 500): Promise<string[]> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const values: string[] = [];
  try {
    for (let start = 0; start < count; start += perSend) {
      const batch = Array.from({ length: Math.min(perSend, count - start) }, (_, j) => `${prefix}-${start + j}`);
      await producer.send({ topic, acks: -1, messages: batch.map((v) => ({ key: v, value: v })) });
      values.push(...batch);
    }
  } finally {
    await producer.disconnect();
  }
  return values;
}

/** Committed offsets of `groupId` on `topic`, by partition (-1 = none). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const res = await admin.fetchOffsets({ groupId, topics: [topic] });
  const partitions = res.find((t) => t.topic === topic)?.partitions ?? [];
  return new Map(partitions.map((p) => [p.partition, Number(p.offset)]));
}

/** High watermarks of `topic`, by partition. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/** True when the group's commits on `topic` equal the high watermark of every partition. */
export async function committedToEnd(admin: Admin, groupId: string, topic: string): Promise<boolean> {
  const [committed, high] = await Promise.all([committedOffsets(admin, groupId, topic), highWatermarks(admin, topic)]);
  return [...high].every(([p, hw]) => committed.get(p) === hw || (hw === 0 && committed.get(p) === -1));
}

/** Metadata v1 for one topic, asked of the broker on `port`: its error code, is_internal flag and partition count. */
export async function topicMetadataV1(port: number, topic: string): Promise<{ errorCode: number; isInternal: boolean; partitions: number }> {
  const conn = await RawConnection.connect(port);
  try {
    const r = await conn.request(3, 1, metadataV1Body([topic]), { timeoutMs: 10_000 });
    parseMetadataV1Cluster(r);
    const topics = r.array((tr) => {
      const errorCode = tr.int16();
      const name = tr.string();
      const isInternal = tr.int8() !== 0;
      const partitions = tr.array((pr) => {
        pr.int16(); // error_code
        const id = pr.int32();
        pr.int32(); // leader
        pr.array((x) => x.int32()); // replicas
        pr.array((x) => x.int32()); // isr
        return id;
      });
      return { name, errorCode, isInternal, partitions: partitions.length };
    });
    const t = topics.find((x) => x.name === topic);
    if (t === undefined) throw new Error(`Metadata v1 does not mention ${topic}`);
    return { errorCode: t.errorCode, isInternal: t.isInternal, partitions: t.partitions };
  } finally {
    conn.destroy();
  }
}
