import type { Logger } from '../util/logger.js';
import type { BatchInfo } from './batch-header.js';
import { LeaderEpochCache } from './leader-epoch-cache.js';
import type { EpochEntry } from './leader-epoch-cache.js';
import {
  CorruptCheckpointError,
  formatLeaderEpochCheckpoint,
  readLeaderEpochCheckpoint,
  writeLeaderEpochCheckpoint,
} from './leader-epoch-checkpoint.js';
import type { LogSegment } from './log-segment.js';

/** What was found in the checkpoint file. */
const Stored = { OK: 'ok', MISSING: 'missing', CORRUPT: 'corrupt' } as const;
type Stored = (typeof Stored)[keyof typeof Stored];

/**
 * Opening a partition's leader epoch cache, in two steps around loading the segments. `read` takes the checkpoint
 * file (a corrupt one is logged and ignored); while the segments load, `onRecoveredBatch` extends the cache with the
 * epochs of the batches that recovery rescans. `complete` rebuilds the cache from every batch header when the file
 * was missing or corrupt, makes it consistent with the recovered log (truncated from the end at the log end offset,
 * from the start at the log start offset) and rewrites the file when that changed it.
 */
export class LeaderEpochLoader {
  readonly cache: LeaderEpochCache;
  #file: string;
  #logger: Logger;
  #stored: Stored;
  /** The checkpoint text as read (normalized), to tell whether it needs rewriting. */
  #storedText: string;

  private constructor(file: string, logger: Logger, stored: Stored, entries: readonly EpochEntry[] = []) {
    this.#file = file;
    this.#logger = logger;
    this.#stored = stored;
    this.cache = new LeaderEpochCache(entries);
    this.#storedText = formatLeaderEpochCheckpoint(entries);
  }

  static async read(file: string, logger: Logger): Promise<LeaderEpochLoader> {
    try {
      const entries = await readLeaderEpochCheckpoint(file);
      return new LeaderEpochLoader(file, logger, entries === null ? Stored.MISSING : Stored.OK, entries ?? []);
    } catch (err) {
      if (!(err instanceof CorruptCheckpointError)) throw err;
      logger.warn('Corrupt leader epoch checkpoint; rebuilding it from the log', { file, error: err.message });
      return new LeaderEpochLoader(file, logger, Stored.CORRUPT);
    }
  }

  /**
   * For loadSegments: extends the stored cache with newer epochs from rescanned batches. Undefined when there is no
   * usable file, since `complete` then scans every segment anyway.
   */
  get onRecoveredBatch(): ((batch: BatchInfo) => void) | undefined {
    if (this.#stored !== Stored.OK) return undefined;
    return (batch) => {
      this.cache.extend(batch.partitionLeaderEpoch, batch.baseOffset);
    };
  }

  async complete(segments: readonly LogSegment[], logStartOffset: number, logEndOffset: number): Promise<LeaderEpochCache> {
    const cache = this.cache;
    const hasData = logEndOffset > logStartOffset;
    if (this.#stored !== Stored.OK) {
      for (const segment of segments) {
        await segment.forEachBatch((batch) => {
          cache.extend(batch.partitionLeaderEpoch, batch.baseOffset);
        });
      }
      if (hasData) this.#logger.info('Rebuilt the leader epoch cache from the log', { entries: cache.size });
    }
    cache.truncateFromEnd(logEndOffset);
    cache.truncateFromStart(logStartOffset);
    const entries = cache.entries();
    const needsWrite =
      this.#stored === Stored.CORRUPT ||
      (this.#stored === Stored.MISSING && (hasData || entries.length > 0)) ||
      formatLeaderEpochCheckpoint(entries) !== this.#storedText;
    if (needsWrite) await writeLeaderEpochCheckpoint(this.#file, entries);
    return cache;
  }
}
