import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../util/logger.js';
import type { BatchInfo } from './batch-header.js';
import { completeSwapOperations } from './cleaner/swap-recovery.js';
import { DELETED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, LogSegment, TIME_INDEX_SUFFIX } from './log-segment.js';

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex)$/;

export interface LoadOptions {
  recoveryPoint: number;
  hadCleanShutdown: boolean;
  indexIntervalBytes: number;
  logger: Logger;
  /** Sees every valid batch of the segments rescanned because of an unclean shutdown. */
  onRecoveredBatch?: ((batch: BatchInfo) => void) | undefined;
}

async function removeSegmentFiles(dir: string, baseOffset: number): Promise<void> {
  for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX]) {
    await fs.promises.rm(LogSegment.filePath(dir, baseOffset, suffix), { force: true });
  }
}

/**
 * Open every segment of a partition directory, Kafka's way. Leftovers of interrupted deletions (`*.deleted`,
 * `*.tmp`) and index files without a log are removed; interrupted cleaner swaps are completed or discarded first. Without a clean shutdown, every segment from the one holding
 * `recoveryPoint` onward is rescanned with CRC checks; the first torn or corrupt batch truncates its segment and
 * every later segment is deleted. A missing or inconsistent index is rebuilt in any case.
 */
export async function loadSegments(dir: string, opts: LoadOptions): Promise<LogSegment[]> {
  await fs.promises.mkdir(dir, { recursive: true });
  await completeSwapOperations(dir, opts.logger);
  const names = await fs.promises.readdir(dir);
  const logs = new Set<number>();
  const indexes = new Set<number>();
  for (const name of names) {
    if (name.endsWith(DELETED_SUFFIX) || name.endsWith('.tmp')) {
      await fs.promises.rm(path.join(dir, name), { force: true });
      continue;
    }
    const match = SEGMENT_FILE.exec(name);
    if (match === null) continue;
    const baseOffset = Number(match[1]);
    if (match[2] === 'log') logs.add(baseOffset);
    else indexes.add(baseOffset);
  }
  for (const baseOffset of indexes) {
    if (!logs.has(baseOffset)) await removeSegmentFiles(dir, baseOffset);
  }
  const bases = [...logs].sort((a, b) => a - b);
  let recoverFrom = Infinity;
  if (!opts.hadCleanShutdown) {
    recoverFrom = bases[0] ?? 0;
    for (const base of bases) if (base <= opts.recoveryPoint) recoverFrom = base;
  }
  const segments: LogSegment[] = [];
  for (let i = 0; i < bases.length; i++) {
    const baseOffset = bases[i] ?? 0;
    const recover = baseOffset >= recoverFrom;
    const { segment, truncatedBytes, rebuilt } = await LogSegment.open(dir, baseOffset, {
      recover,
      offsetLimit: bases[i + 1] ?? Infinity,
      indexIntervalBytes: opts.indexIntervalBytes,
      onBatch: recover ? opts.onRecoveredBatch : undefined,
    });
    segments.push(segment);
    if (rebuilt && !recover) opts.logger.warn('Rebuilt missing or corrupt index', { segment: baseOffset });
    if (truncatedBytes > 0) {
      opts.logger.warn('Truncated torn or corrupt data at the end of a segment', {
        segment: baseOffset,
        truncatedBytes,
        validBytes: segment.size,
      });
      if (recover) {
        const later = bases.slice(i + 1);
        if (later.length > 0) opts.logger.warn('Deleting segments after the corrupt one', { segments: later });
        for (const base of later) await removeSegmentFiles(dir, base);
        break;
      }
    }
  }
  for (const segment of segments.slice(0, -1)) await segment.closeIndexes();
  return segments;
}

/** Close loaded segments and remove their files at once (when the whole log is discarded while loading). */
export async function deleteSegmentFiles(dir: string, segments: readonly LogSegment[]): Promise<void> {
  for (const segment of segments) {
    await segment.close();
    await removeSegmentFiles(dir, segment.baseOffset);
  }
}
