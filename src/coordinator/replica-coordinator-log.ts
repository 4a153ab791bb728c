import type { ReplicaManager } from '../cluster/replica-manager.js';
import { OFFSETS_TOPIC } from '../cluster/topic-names.js';
import { isErrorName } from '../protocol/error-codes.js';
import type { ErrorName } from '../protocol/error-codes.js';
import { StreamkeeperError } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { CoordinatorLog } from './group/coordinator-log.js';
import { buildCoordinatorBatch, readCoordinatorBatches } from './records/coordinator-batch.js';
import type { CoordinatorRecord, RawCoordinatorRecord } from './records/coordinator-record.js';

/**
 * The group coordinator's `__consumer_offsets` partitions through this broker's replica manager: appends are
 * leader appends with acks=all (Kafka's GroupMetadataManager.appendForGroup), loads read the local log.
 */
export class ReplicaCoordinatorLog implements CoordinatorLog {
  readonly #replicas: ReplicaManager;
  readonly #commitTimeoutMs: number;
  readonly #loadBufferBytes: number;
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(opts: { replicaManager: ReplicaManager; commitTimeoutMs: number; loadBufferBytes: number; now: () => number; logger: Logger }) {
    this.#replicas = opts.replicaManager;
    this.#commitTimeoutMs = opts.commitTimeoutMs;
    this.#loadBufferBytes = opts.loadBufferBytes;
    this.#now = opts.now;
    this.#logger = opts.logger;
  }

  async append(offsetsPartition: number, records: readonly CoordinatorRecord[]): Promise<ErrorName> {
    if (records.length === 0) return 'NONE';
    try {
      const batch = buildCoordinatorBatch(records, this.#now());
      await this.#replicas.appendRecords(OFFSETS_TOPIC, offsetsPartition, batch, -1, this.#commitTimeoutMs);
      return 'NONE';
    } catch (err) {
      if (err instanceof StreamkeeperError && isErrorName(err.kafkaError)) return err.kafkaError;
      this.#logger.error('append to the offsets topic failed', { partition: offsetsPartition, err: String(err) });
      return 'UNKNOWN_SERVER_ERROR';
    }
  }

  /**
   * Reads up to the log end offset, not the high watermark: this broker has just become the leader, so its log
   * is the partition's future, and a high watermark that has not caught up yet must not hide acknowledged commits.
   */
  async *readAll(offsetsPartition: number): AsyncIterable<RawCoordinatorRecord> {
    const partition = this.#replicas.partition(OFFSETS_TOPIC, offsetsPartition);
    if (partition === undefined) return;
    const log = partition.log;
    let offset = log.logStartOffset;
    const end = log.logEndOffset;
    while (offset < end) {
      const { records } = await log.read(offset, { maxBytes: this.#loadBufferBytes, maxOffset: end, minOneBatch: true });
      if (records === null) break;
      const batches = readCoordinatorBatches(records);
      yield* batches.records;
      if (batches.nextOffset === null || batches.nextOffset <= offset) break;
      offset = batches.nextOffset;
    }
  }
}
