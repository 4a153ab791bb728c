// Fetch Request (Version: 7) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   topics => topic [partitions]
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
//   forgotten_topics_data => topic [partitions]
// Fetch Response (Version: 7) => throttle_time_ms error_code session_id [responses]
//   responses => topic [partitions]
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
//       aborted_transactions => producer_id first_offset
import { array, int16, int32, int64, int8, message, nullableArray, records, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  replicaId: withDefault(int32, -1),
  maxWaitMs: int32,
  minBytes: int32,
  maxBytes: withDefault(int32, 2147483647),
  isolationLevel: withDefault(int8, 0),
  sessionId: withDefault(int32, 0),
  sessionEpoch: withDefault(int32, -1),
  topics: array(struct({
    topic: string,
    partitions: array(struct({
      partition: int32,
      fetchOffset: int64,
      logStartOffset: withDefault(int64, -1n),
      partitionMaxBytes: int32,
    })),
  })),
  forgottenTopicsData: array(struct({
    topic: string,
    partitions: array(int32),
  })),
});
export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  sessionId: withDefault(int32, 0),
  responses: array(struct({
    topic: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
      highWatermark: int64,
      lastStableOffset: withDefault(int64, -1n),
      logStartOffset: withDefault(int64, -1n),
      abortedTransactions: nullableArray(struct({
        producerId: int64,
        firstOffset: int64,
      })),
      records: records,
    })),
  })),
});
