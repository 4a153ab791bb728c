import { parseChaosValue, type AckedPartition, type ProducerTally } from './chaos-producer.js';
import { KafkajsReader, type ReadRecord } from './kafkajs-reader.js';

/** One acknowledged record that is not where the acknowledgement said. */
export interface MissingRecord {
  readonly partition: number;
  readonly seq: number;
  readonly ackedOffset: number;
  /** What the log holds at `ackedOffset` now (undefined: nothing, beyond the end or truncated). */
  readonly foundAtAckedOffset: string | undefined;
}

export interface PartitionVerdict {
  readonly partition: number;
  readonly acknowledged: number;
  readonly readBack: number;
  /** Acknowledged records absent from the partition. */
  readonly lost: readonly MissingRecord[];
  /** Acknowledged records present, but not at the offset they were acknowledged with (their data was replaced). */
  readonly displaced: readonly MissingRecord[];
  /** Records read more than once (a retried send written twice). */
  readonly duplicates: number;
  /** Acknowledged records whose first occurrence comes before that of a record acknowledged earlier. */
  readonly orderViolations: ReadonlyArray<{ readonly seq: number; readonly afterSeq: number }>;
  /** Records present that were never acknowledged (failed sends that did land): allowed. */
  readonly unacknowledgedPresent: number;
  /** Records that do not belong here (another partition's value or not a chaos value). */
  readonly foreign: number;
  readonly highWatermark: number;
}

export interface DurabilityReport {
  readonly sent: number;
  readonly acknowledged: number;
  readonly failed: number;
  readonly readBack: number;
  readonly lost: number;
  readonly displaced: number;
  readonly duplicates: number;
  readonly orderViolations: number;
  readonly unacknowledgedPresent: number;
  readonly foreign: number;
  readonly partitions: readonly PartitionVerdict[];
}

/** Reads a partition from offset 0 to its high watermark. */
export async function readWholePartition(
  reader: KafkajsReader,
  topic: string,
  partition: number,
): Promise<{ records: ReadRecord[]; highWatermark: number }> {
  const all: ReadRecord[] = [];
  let offset = 0;
  for (;;) {
    const { records, highWatermark } = await reader.readPartition(topic, partition, offset);
    for (const r of records) all.push(r); // not push(...records): a long run reads 100k+ records per partition
    const last = records.at(-1);
    if (last === undefined || last.offset + 1 >= highWatermark) return { records: all, highWatermark };
    offset = last.offset + 1;
  }
}

/** Checks one partition's log against what was acknowledged for it. */
export function verifyPartition(
  partition: number,
  acked: AckedPartition,
  records: readonly ReadRecord[],
  highWatermark: number,
): PartitionVerdict {
  const firstIndex = new Map<number, number>();
  const byOffset = new Map<number, string>();
  let duplicates = 0;
  let foreign = 0;
  records.forEach((r, i) => {
    const text = r.value?.toString('utf8') ?? '';
    byOffset.set(r.offset, text);
    const parsed = parseChaosValue(text);
    if (parsed === undefined || parsed.partition !== partition) {
      foreign++;
      return;
    }
    if (firstIndex.has(parsed.seq)) duplicates++;
    else firstIndex.set(parsed.seq, i);
  });
  const ackedSet = new Set(acked.seqs);
  const lost: MissingRecord[] = [];
  const displaced: MissingRecord[] = [];
  const orderViolations: Array<{ seq: number; afterSeq: number }> = [];
  let prev: { seq: number; index: number } | undefined;
  acked.seqs.forEach((seq, i) => {
    const ackedOffset = acked.offsets[i] ?? -1;
    const atOffset = byOffset.get(ackedOffset);
    const index = firstIndex.get(seq);
    const miss = { partition, seq, ackedOffset, foundAtAckedOffset: atOffset };
    if (index === undefined) {
      lost.push(miss);
      return;
    }
    if (atOffset !== `p${partition}-s${seq}`) displaced.push(miss);
    if (prev !== undefined && index < prev.index) orderViolations.push({ seq, afterSeq: prev.seq });
    prev = { seq, index };
  });
  let unacknowledgedPresent = 0;
  for (const seq of firstIndex.keys()) if (!ackedSet.has(seq)) unacknowledgedPresent++;
  return {
    partition,
    acknowledged: acked.seqs.length,
    readBack: records.length,
    lost,
    displaced,
    duplicates,
    orderViolations,
    unacknowledgedPresent,
    foreign,
    highWatermark,
  };
}

/** Reads every partition from the beginning through kafkajs and checks it against the producer's tally. */
export async function verifyDurability(bootstrap: readonly string[], topic: string, tally: ProducerTally): Promise<DurabilityReport> {
  const reader = await KafkajsReader.connect(bootstrap);
  const partitions: PartitionVerdict[] = [];
  try {
    for (let p = 0; p < tally.acked.length; p++) {
      const acked = tally.acked[p] ?? { seqs: [], offsets: [] };
      const { records, highWatermark } = await readWholePartition(reader, topic, p);
      partitions.push(verifyPartition(p, acked, records, highWatermark));
    }
  } finally {
    await reader.close();
  }
  const sum = (f: (v: PartitionVerdict) => number): number => partitions.reduce((n, v) => n + f(v), 0);
  return {
    sent: tally.sent,
    acknowledged: tally.acknowledged,
    failed: tally.failed,
    readBack: sum((v) => v.readBack),
    lost: sum((v) => v.lost.length),
    displaced: sum((v) => v.displaced.length),
    duplicates: sum((v) => v.duplicates),
    orderViolations: sum((v) => v.orderViolations.length),
    unacknowledgedPresent: sum((v) => v.unacknowledgedPresent),
    foreign: sum((v) => v.foreign),
    partitions,
  };
}

/** Human-readable summary: the totals line, one line per partition, and the first few problems in detail. */
export function formatReport(r: DurabilityReport, errors: ReadonlyMap<string, number> = new Map()): string {
  const lines = [
    `durability: sent=${r.sent} acknowledged=${r.acknowledged} failed=${r.failed} readBack=${r.readBack} ` +
      `lost=${r.lost} duplicates=${r.duplicates} orderViolations=${r.orderViolations} displaced=${r.displaced} ` +
      `unacknowledgedPresent=${r.unacknowledgedPresent} foreign=${r.foreign}`,
  ];
  for (const v of r.partitions) {
    lines.push(
      `  partition ${v.partition}: acknowledged=${v.acknowledged} readBack=${v.readBack} highWatermark=${v.highWatermark} ` +
        `lost=${v.lost.length} duplicates=${v.duplicates} orderViolations=${v.orderViolations.length} displaced=${v.displaced.length}`,
    );
    const show = (what: string, items: readonly MissingRecord[]): void => {
      if (items.length === 0) return;
      const first = items[0];
      const last = items.at(-1);
      lines.push(
        `    ${what}: ${items.length} records, seq ${first?.seq}..${last?.seq}, acknowledged offsets ` +
          `${first?.ackedOffset}..${last?.ackedOffset}; ` +
          items.slice(0, 5).map((m) => `s${m.seq}@${m.ackedOffset} now holds ${m.foundAtAckedOffset ?? 'nothing'}`).join(', '),
      );
    };
    show('LOST', v.lost);
    show('DISPLACED', v.displaced);
    if (v.orderViolations.length > 0) {
      lines.push(`    ORDER: ${v.orderViolations.slice(0, 5).map((o) => `s${o.seq} before s${o.afterSeq}`).join(', ')}`);
    }
  }
  if (errors.size > 0) {
    lines.push('  failed sends by error:');
    for (const [msg, n] of [...errors].sort((a, b) => b[1] - a[1]).slice(0, 8)) lines.push(`    ${n} x ${msg}`);
  }
  return lines.join('\n');
}
