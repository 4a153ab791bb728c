import type { AlterIsrItem, AlterIsrSink } from '../../src/cluster/alter-isr-manager.js';
import type { AlterIsrPartitionResult, LeaderAndIsrPartition } from '../../src/cluster/controller-requests.js';
import path from 'node:path';
import { Partition } from '../../src/cluster/partition.js';
import { ManualClock } from '../../src/util/clock.js';
import { buildBatch } from '../storage/batch-builder.js';
import { ReplicaManager } from '../../src/cluster/replica-manager.js';
import { LogManager } from '../../src/storage/log-manager.js';
import { openLog, removeDir, silentLogger, tempDir, testConfig } from '../storage/test-env.js';

/** Test helper for replication tests: fakes and builders around a real PartitionLog. Not a test file. */

export const TOPIC = 't';

/** A ManualClock that also remembers the delay of every timer scheduled on it. */
export class RecordingClock extends ManualClock {
  readonly delays: number[] = [];

  override schedule(ms: number, fn: () => void): () => void {
    this.delays.push(ms);
    return super.schedule(ms, fn);
  }
}

export interface Submitted {
  item: AlterIsrItem;
  onResult: (result: AlterIsrPartitionResult | null) => void;
}

/** Records every ISR proposal; the test answers them by hand. */
export class FakeAlterIsr implements AlterIsrSink {
  readonly submitted: Submitted[] = [];

  submit(item: AlterIsrItem, onResult: (result: AlterIsrPartitionResult | null) => void): void {
    this.submitted.push({ item, onResult });
  }

  get last(): Submitted {
    const s = this.submitted.at(-1);
    if (s === undefined) throw new Error('no ISR proposal was submitted');
    return s;
  }

  /** Answers the latest proposal as the controller would on success. */
  commitLast(currentIsrVersion: number): void {
    const { item, onResult } = this.last;
    onResult({ topic: item.topic, partition: item.partition, errorCode: 0, leader: -1, leaderEpoch: item.leaderEpoch, isr: item.newIsr, currentIsrVersion });
  }
}

export function leaderAndIsr(fields: { leader: number; leaderEpoch: number; isr: number[]; replicas?: number[]; zkVersion?: number }): LeaderAndIsrPartition {
  return {
    topic: TOPIC,
    partition: 0,
    controllerEpoch: 1,
    leader: fields.leader,
    leaderEpoch: fields.leaderEpoch,
    isr: fields.isr,
    zkVersion: fields.zkVersion ?? 0,
    replicas: fields.replicas ?? [1, 2, 3],
    addingReplicas: [],
    removingReplicas: [],
    isNew: false,
  };
}

/** A partition of topic `t` (partition 0 unless given) hosted by `brokerId`, over a fresh log in `root`. */
export async function newPartition(
  root: string,
  opts: { brokerId: number; clock: ManualClock; partition?: number; alterIsr?: AlterIsrSink; highWatermark?: number; onHighWatermarkChange?: () => void },
): Promise<Partition> {
  const partition = opts.partition ?? 0;
  const log = await openLog(root, { segmentBytes: 1 << 20 }, { dir: path.join(root, `${TOPIC}-${partition}`), partition });
  return new Partition({
    topic: TOPIC,
    partition,
    brokerId: opts.brokerId,
    log,
    clock: opts.clock,
    highWatermark: opts.highWatermark ?? 0,
    ...(opts.alterIsr === undefined ? {} : { alterIsr: opts.alterIsr }),
    ...(opts.onHighWatermarkChange === undefined ? {} : { onHighWatermarkChange: opts.onHighWatermarkChange }),
  });
}

/** One producer batch of `count` records (offsets assigned by the leader). */
export function produced(count: number): Buffer {
  return buildBatch({ recordCount: count, payload: Buffer.alloc(24, 5) });
}

/** Batches as a leader stored them: [baseOffset, recordCount, partitionLeaderEpoch] each. */
export function replicatedBatches(...specs: [baseOffset: number, count: number, epoch: number][]): Buffer {
  return Buffer.concat(
    specs.map(([baseOffset, recordCount, partitionLeaderEpoch]) => buildBatch({ baseOffset, recordCount, partitionLeaderEpoch, payload: Buffer.alloc(24, 5) })),
  );
}

/** Lets pending promise callbacks and I/O completions run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Polls (with real short waits) until `check` holds; for async work that includes file I/O. */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`condition not reached: ${what}`);
}

/**
 * A ReplicaManager for broker 1 over a real LogManager in a temp dir (min.insync.replicas 1 unless given);
 * `fn` runs with it, then everything is shut down and removed.
 */
export async function withReplicaManager(
  fn: (env: { rm: ReplicaManager; logs: LogManager; clock: ManualClock }) => Promise<void>,
  opts: { minInsyncReplicas?: number; knownInCluster?: (topic: string, partition: number) => boolean } = {},
): Promise<void> {
  const root = await tempDir('sk-replica-manager-');
  const clock = new ManualClock();
  const logs = new LogManager({ logDirs: [path.join(root, 'd')], clock, logger: silentLogger, defaultConfig: testConfig(), retentionCheckIntervalMs: 3_600_000 });
  await logs.startup({ brokerId: 1, clusterId: 'cluster-A' });
  try {
    const rm = new ReplicaManager({
      brokerId: 1,
      logManager: logs,
      configs: { logConfig: () => testConfig(), minInsyncReplicas: () => opts.minInsyncReplicas ?? 1 },
      clock,
      logger: silentLogger,
      ...(opts.knownInCluster === undefined ? {} : { knownInCluster: opts.knownInCluster }),
    });
    await fn({ rm, logs, clock });
  } finally {
    await logs.shutdown();
    await removeDir(root);
  }
}
