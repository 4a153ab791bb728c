import type { Clock } from '../../util/clock.js';
import { StreamkeeperError } from '../../util/errors.js';
import type { Logger } from '../../util/logger.js';
import { readBatchRecords } from '../../protocol/record-batch.js';
import { readMaxTimestamp } from '../batch-header.js';
import type { BatchInfo } from '../batch-header.js';
import { CLEANED_SUFFIX, LogSegment } from '../log-segment.js';
import type { PartitionLog } from '../partition-log.js';
import { BatchFate, filterBatch } from './batch-filter.js';
import type { FilterContext } from './batch-filter.js';
import type { CleanableLog } from './cleanable.js';
import { OffsetMap } from './offset-map.js';
import { isControlBatch } from './record-reader.js';
import { groupSegmentsBySize } from './segment-groups.js';

/** The clean stopped: the log is closing or being deleted, or retention or truncation changed its segments. */
export class CleaningAbortedError extends StreamkeeperError {
  constructor(message: string) {
    super('UNKNOWN_SERVER_ERROR', message);
  }
}

export interface CleanOutcome {
  /** The new cleaner checkpoint: everything below it is clean. */
  endOffset: number;
  /** The earliest delete horizon of the tombstones still in the log, undefined when none. */
  tombstoneHorizon: number | undefined;
  segmentsBefore: number;
  segmentsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  recordsRemoved: number;
  batchesDropped: number;
}

export interface CleanerOptions {
  clock: Clock;
  logger: Logger;
  /** log.cleaner.dedupe.buffer.size: the offset map's memory budget. */
  dedupeBufferBytes: number;
}

/** Large writes of cleaned batches: flushed to the cleaned segment after each read chunk. */
interface PendingWrites {
  buffers: Buffer[];
  batches: BatchInfo[];
  bytes: number;
}

/**
 * Kafka's Cleaner: one compaction of one log. Builds the key -> last offset map over the dirty section, then
 * rewrites the segments below the map's end in groups (each group becomes one `*.cleaned` segment that is swapped
 * in under the log's writer queue). Old segments are read with their files pinned open; appends to the active
 * segment go on throughout.
 */
export class Cleaner {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #dedupeBufferBytes: number;
  #warnedUndecodable = false;

  constructor(opts: CleanerOptions) {
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#dedupeBufferBytes = opts.dedupeBufferBytes;
  }

  /** Clean `log` from its start to `target.firstUncleanableOffset`; throws CleaningAbortedError when stopped. */
  async clean(log: PartitionLog, target: CleanableLog, isAborted: () => boolean): Promise<CleanOutcome> {
    const checkAborted = (): void => {
      if (isAborted() || !log.isUsable) throw new CleaningAbortedError(`Cleaning of ${log.topic}-${log.partition} was aborted`);
    };
    const truncations = log.truncationCount;
    const map = new OffsetMap(this.#dedupeBufferBytes, target.firstDirtyOffset - 1);
    await this.#buildOffsetMap(log, map, target.firstDirtyOffset, target.firstUncleanableOffset, checkAborted);
    const endOffset = map.latestOffset + 1;
    const upper = Math.min(endOffset, target.firstUncleanableOffset);
    const all = log.segments;
    const toClean = all.filter((s, i) => s.baseOffset < upper && i < all.length - 1);
    const config = log.config;
    const ctx: FilterContext = { map, now: this.#clock.now(), deleteRetentionMs: config.deleteRetentionMs };
    const groups = groupSegmentsBySize(toClean, config.segmentBytes, config.segmentIndexBytes, target.firstUncleanableOffset);
    const outcome: CleanOutcome = {
      endOffset,
      tombstoneHorizon: undefined,
      segmentsBefore: toClean.length,
      segmentsAfter: groups.length,
      bytesBefore: toClean.reduce((sum, s) => sum + s.size, 0),
      bytesAfter: 0,
      recordsRemoved: 0,
      batchesDropped: 0,
    };
    for (const group of groups) {
      checkAborted();
      await this.#cleanGroup(log, group, ctx, truncations, outcome, checkAborted);
    }
    return outcome;
  }

  /** Kafka's buildOffsetMap: keys of [from, to) in order; stops after the batch that fills the map. */
  async #buildOffsetMap(log: PartitionLog, map: OffsetMap, from: number, to: number, checkAborted: () => void): Promise<void> {
    await log.readPinned(async () => {
      const segments = log.segments;
      for (let i = 0; i < segments.length - 1 && !map.isFull; i++) {
        const segment = segments[i];
        if (segment === undefined || segment.baseOffset >= to) break;
        if ((segments[i + 1]?.baseOffset ?? Infinity) <= from) continue;
        checkAborted();
        await segment.scanRawBatches(from, false, (batch, chunk, pos) => {
          if (map.isFull || batch.lastOffset < from || batch.baseOffset >= to) return;
          if (!isControlBatch(chunk, pos)) {
            const parsed = readBatchRecords(chunk, pos);
            if (parsed === null) this.#warnUndecodable(log);
            for (const record of parsed?.records ?? []) {
              const offset = batch.baseOffset + record.offsetDelta;
              if (record.key !== null && offset >= from) map.put(record.key, offset);
            }
          }
          map.updateLatestOffset(batch.lastOffset);
        });
      }
    });
  }

  #warnUndecodable(log: PartitionLog): void {
    if (this.#warnedUndecodable) return;
    this.#warnedUndecodable = true;
    this.#logger.warn('Compacted log holds snappy, lz4 or zstd batches: they are kept whole, uncompacted (no codec here)', {
      topic: log.topic,
      partition: log.partition,
    });
  }

  /** Write one group's surviving batches to a `*.cleaned` segment and swap it in (Kafka's cleanSegments). */
  async #cleanGroup(
    log: PartitionLog,
    group: readonly LogSegment[],
    ctx: FilterContext,
    truncations: number,
    outcome: CleanOutcome,
    checkAborted: () => void,
  ): Promise<void> {
    const first = group[0];
    const last = group[group.length - 1];
    if (first === undefined || last === undefined) return;
    const indexIntervalBytes = log.config.indexIntervalBytes;
    const cleaned = await LogSegment.create(log.dir, first.baseOffset, this.#clock.now(), CLEANED_SUFFIX);
    try {
      await log.readPinned(async () => {
        for (const segment of group) {
          checkAborted();
          let pending: PendingWrites = { buffers: [], batches: [], bytes: 0 };
          const write = async (): Promise<void> => {
            if (pending.bytes === 0) return;
            const { buffers, batches, bytes } = pending;
            pending = { buffers: [], batches: [], bytes: 0 };
            await cleaned.append(buffers, batches, bytes, this.#clock.now(), indexIntervalBytes);
          };
          await segment.scanRawBatches(
            segment.baseOffset,
            true,
            (batch, chunk, pos) => {
              const result = filterBatch(chunk, pos, ctx);
              if (result.fate === BatchFate.UNDECODABLE) this.#warnUndecodable(log);
              outcome.recordsRemoved += result.recordsRemoved;
              if (result.tombstoneHorizon !== undefined) {
                outcome.tombstoneHorizon = Math.min(outcome.tombstoneHorizon ?? Infinity, result.tombstoneHorizon);
              }
              const output = result.output;
              if (output === null) {
                outcome.batchesDropped++;
                return;
              }
              pending.batches.push({
                position: pending.bytes,
                size: output.length,
                baseOffset: batch.baseOffset,
                lastOffset: batch.lastOffset,
                maxTimestamp: readMaxTimestamp(output, 0),
                partitionLeaderEpoch: batch.partitionLeaderEpoch,
              });
              pending.buffers.push(output);
              pending.bytes += output.length;
            },
            write,
          );
          await write();
        }
      });
      checkAborted();
      cleaned.appendFinalTimeIndexEntry();
      await cleaned.flush();
      await cleaned.setLastModified(last.lastModified);
    } catch (err) {
      await this.#discard(cleaned);
      throw err;
    }
    // From here on the files may already be in the log: never delete them on an error (a load completes the swap).
    const swapped = await log.replaceSegments(group, cleaned, truncations);
    if (!swapped) {
      await this.#discard(cleaned);
      throw new CleaningAbortedError(`Segments of ${log.topic}-${log.partition} changed while they were cleaned`);
    }
    outcome.bytesAfter += cleaned.size;
  }

  async #discard(cleaned: LogSegment): Promise<void> {
    await cleaned.deleteRenamedFiles().catch((err: unknown) => {
      this.#logger.warn('Failed to remove discarded cleaner output', { segment: cleaned.baseOffset, error: String(err) });
    });
  }
}
