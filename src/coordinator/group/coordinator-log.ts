import type { ErrorName } from '../../protocol/error-codes.js';
import type { CoordinatorRecord, RawCoordinatorRecord } from '../records/coordinator-record.js';

/**
 * How the group coordinator reaches its `__consumer_offsets` partitions (Kafka's GroupMetadataManager append and
 * load paths). The broker implements it over the replica manager; unit tests use an in-memory fake.
 */
export interface CoordinatorLog {
  /**
   * Appends records to one offsets partition as leader with acks=all, waiting up to `offsets.commit.timeout.ms`.
   * Resolves with NONE, or with the Kafka error the append failed with (NOT_LEADER_OR_FOLLOWER,
   * NOT_ENOUGH_REPLICAS, REQUEST_TIMED_OUT, ...). Never rejects.
   */
  append(offsetsPartition: number, records: readonly CoordinatorRecord[]): Promise<ErrorName>;
  /**
   * Every keyed record of the partition from its log start up to its end, in offset order, undecoded: the loader
   * decodes each one and skips those it cannot read. Rejects when the partition cannot be read (I/O, a corrupt batch).
   */
  readAll(offsetsPartition: number): AsyncIterable<RawCoordinatorRecord>;
}
