import fs from 'node:fs';
import path from 'node:path';
import { isNotFound, writeFileAtomically } from './file-io.js';
import type { EpochEntry } from './leader-epoch-cache.js';

/** Kafka's per-partition leader epoch checkpoint, in the partition directory. */
export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';

const VERSION = 0;
const INT32_MAX = 0x7fffffff;

/** Kafka's LeaderEpochCheckpointFile text: "0", the entry count, then one "epoch startOffset" line per entry. */
export function formatLeaderEpochCheckpoint(entries: readonly EpochEntry[]): string {
  const lines = [String(VERSION), String(entries.length)];
  for (const entry of entries) lines.push(`${entry.epoch} ${entry.startOffset}`);
  return lines.join('\n') + '\n';
}

/** The checkpoint file exists but cannot be parsed. */
export class CorruptCheckpointError extends Error {
  override readonly name = 'CorruptCheckpointError';
}

function malformed(file: string, line: string | undefined): Error {
  return new CorruptCheckpointError(`Malformed line in checkpoint file (${file}): '${line ?? ''}'`);
}

/** Parse the checkpoint text; throws on a wrong version, a malformed line or a wrong entry count. */
export function parseLeaderEpochCheckpoint(text: string, file: string): EpochEntry[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const version = lines[0];
  if (version === undefined || version.trim() !== String(VERSION)) {
    throw new CorruptCheckpointError(`Unrecognized version of the checkpoint file (${file}): ${version ?? ''}`);
  }
  const countLine = lines[1];
  if (countLine === undefined || !/^\d+$/.test(countLine.trim())) throw malformed(file, countLine);
  const expected = Number(countLine.trim());
  const entries: EpochEntry[] = [];
  for (const line of lines.slice(2)) {
    const parts = line.trim().split(/\s+/);
    const [epoch, startOffset] = parts.map(Number);
    if (parts.length !== 2 || !parts.every((p) => /^\d+$/.test(p)) || epoch === undefined || startOffset === undefined) {
      throw malformed(file, line);
    }
    if (epoch > INT32_MAX || !Number.isSafeInteger(startOffset)) throw malformed(file, line);
    entries.push({ epoch, startOffset });
  }
  if (entries.length !== expected) {
    throw new CorruptCheckpointError(`Expected ${expected} entries in checkpoint file (${file}), but found ${entries.length}`);
  }
  return entries;
}

export function leaderEpochCheckpointPath(dir: string): string {
  return path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
}

/**
 * The entries in `file`, or null when there is no such file. Throws CorruptCheckpointError when it cannot be parsed
 * and the I/O error when it cannot be read.
 */
export async function readLeaderEpochCheckpoint(file: string): Promise<EpochEntry[] | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  return parseLeaderEpochCheckpoint(text, file);
}

/** Write the checkpoint atomically (tmp file, fsync, rename, directory fsync). */
export async function writeLeaderEpochCheckpoint(file: string, entries: readonly EpochEntry[]): Promise<void> {
  await writeFileAtomically(file, path.dirname(file), formatLeaderEpochCheckpoint(entries));
}
