import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../util/logger.js';
import { closeFile, openFile } from '../file-io.js';
import { CLEANED_SUFFIX, INDEX_SUFFIX, LOG_SUFFIX, LogSegment, SWAP_SUFFIX, TIME_INDEX_SUFFIX } from '../log-segment.js';
import { scanFile } from '../segment-scan.js';

const SWAP_LOG_FILE = /^(\d{20})\.log\.swap$/;
const LOG_FILE = /^(\d{20})\.log$/;

/** The offset after the last whole batch of a log file (its base offset when it has none). */
async function nextOffsetOf(file: string, baseOffset: number): Promise<number> {
  const fd = await openFile(file, 'r');
  try {
    const { size } = await fs.promises.stat(file);
    return (await scanFile(fd, 0, size, false, baseOffset, () => undefined)).nextOffset;
  } finally {
    await closeFile(fd);
  }
}

/**
 * Kafka's log loader steps for the cleaner's leftovers, before segments are opened: `*.cleaned` files (a clean
 * that had not reached its swap) are deleted; a `<base>.log.swap` (a swap that had started) replaces every segment
 * whose base offset lies in the swap file's offset range [base, next offset) - the first one always, it shares the
 * base - and is renamed into place. Swapped index files are deleted; the indexes are rebuilt on open.
 */
export async function completeSwapOperations(dir: string, logger: Logger): Promise<void> {
  const names = await fs.promises.readdir(dir);
  for (const name of names) {
    if (name.endsWith(CLEANED_SUFFIX) || (name.endsWith(SWAP_SUFFIX) && !SWAP_LOG_FILE.test(name))) {
      await fs.promises.rm(path.join(dir, name), { force: true });
    }
  }
  const logBases = names.flatMap((n) => {
    const m = LOG_FILE.exec(n);
    return m === null ? [] : [Number(m[1])];
  });
  for (const name of names) {
    const match = SWAP_LOG_FILE.exec(name);
    if (match === null) continue;
    const baseOffset = Number(match[1]);
    const swapFile = path.join(dir, name);
    const end = Math.max(await nextOffsetOf(swapFile, baseOffset), baseOffset + 1);
    const replaced = logBases.filter((b) => b >= baseOffset && b < end);
    for (const base of replaced) {
      for (const suffix of [LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX]) {
        await fs.promises.rm(LogSegment.filePath(dir, base, suffix), { force: true });
      }
    }
    await fs.promises.rename(swapFile, LogSegment.filePath(dir, baseOffset, LOG_SUFFIX));
    logger.warn('Completed an interrupted swap of cleaned segments', { segment: baseOffset, replaced });
  }
}
