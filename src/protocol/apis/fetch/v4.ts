// Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   topics => topic [partitions]
//     partitions => partition fetch_offset partition_max_bytes
// Fetch Response (Version: 4) => throttle_time_ms [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset [aborted_transactions] records
//       aborted_transactions => producer_id first_offset
import { array, int16, int32, int64, int8, message, nullableArray, records, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  replicaId: withDefault(int32, -1),
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: withDefault(int32, 2147483647),
  isolationLevel: withDefault(int8, 0),
  topics: array(struct({
    topic: string,
    partitions: array(struct({
      partition: int32,
      fetchOffset: int64,
      partitionMaxBytes: int32,
    })),
  })),
});
export const response = message(false, {
  throttleTimeMs: int32,
  responses: array(struct({
    topic: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
      highWatermark: int64,
      lastStableOffset: withDefault(int64, -1n),
      abortedTransactions: nullableArray(struct({
        producerId: int64,
        firstOffset: int64,
      })),
      records: records,
    })),
  })),
});
