import fs from 'node:fs';
import path from 'node:path';
import { isNotFound, writeFileAtomically } from './file-io.js';
import { parseTopicPartitionKey, topicPartitionKey } from './topic-partition.js';

/** The per-log-dir checkpoint files Kafka keeps. */
export const CheckpointFile = {
  RECOVERY_POINT: 'recovery-point-offset-checkpoint',
  LOG_START_OFFSET: 'log-start-offset-checkpoint',
  /** High watermarks, read and written by the cluster layer. */
  REPLICATION_OFFSET: 'replication-offset-checkpoint',
  /** How far each compacted log is cleaned (the log cleaner's firstDirtyOffset). */
  CLEANER_OFFSET: 'cleaner-offset-checkpoint',
} as const;
export type CheckpointFile = (typeof CheckpointFile)[keyof typeof CheckpointFile];

const VERSION = 0;

/** Offsets by topicPartitionKey(topic, partition). */
export type OffsetCheckpoint = Map<string, number>;

/** Kafka's checkpoint text: version line "0", entry-count line, then one "topic partition offset" line per entry. */
export function formatCheckpoint(offsets: ReadonlyMap<string, number>): string {
  const lines = [String(VERSION), String(offsets.size)];
  for (const [key, offset] of offsets) {
    const tp = parseTopicPartitionKey(key);
    if (tp === null) throw new Error(`Invalid topic-partition key in checkpoint: ${key}`);
    lines.push(`${tp.topic} ${tp.partition} ${offset}`);
  }
  return lines.join('\n') + '\n';
}

/** Parse checkpoint text; `file` names the file in error messages (Kafka's wording). */
export function parseCheckpoint(text: string, file: string): OffsetCheckpoint {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const version = lines[0];
  if (version === undefined || version.trim() !== String(VERSION)) {
    throw new Error(`Unrecognized version of the checkpoint file (${file}): ${version ?? ''}`);
  }
  const expected = Number(lines[1]);
  if (lines[1] === undefined || !Number.isSafeInteger(expected) || expected < 0) {
    throw new Error(`Malformed line in checkpoint file (${file}): '${lines[1] ?? ''}'`);
  }
  const offsets: OffsetCheckpoint = new Map();
  for (const line of lines.slice(2)) {
    const parts = line.trim().split(/\s+/);
    const [topic, partition, offset] = parts;
    if (parts.length !== 3 || topic === undefined || !/^\d+$/.test(partition ?? '') || !/^-?\d+$/.test(offset ?? '')) {
      throw new Error(`Malformed line in checkpoint file (${file}): '${line}'`);
    }
    offsets.set(topicPartitionKey(topic, Number(partition)), Number(offset));
  }
  if (offsets.size !== expected) {
    throw new Error(`Expected ${expected} entries in checkpoint file (${file}), but found only ${offsets.size}`);
  }
  return offsets;
}

/** Read a checkpoint file; a missing file is an empty checkpoint. */
export async function readCheckpointFile(file: string): Promise<OffsetCheckpoint> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return new Map();
    throw err;
  }
  return parseCheckpoint(text, file);
}

/** Write a checkpoint file atomically (tmp file, fsync, rename). */
export async function writeCheckpointFile(file: string, offsets: ReadonlyMap<string, number>): Promise<void> {
  await writeFileAtomically(file, path.dirname(file), formatCheckpoint(offsets));
}
