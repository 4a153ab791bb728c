// Fetch Request (Version: 12) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
//   topics => topic [partitions] TAG_BUFFER
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes TAG_BUFFER
//   forgotten_topics_data => topic [partitions] TAG_BUFFER
// Fetch Response (Version: 12) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
//   responses => topic [partitions] TAG_BUFFER
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records TAG_BUFFER
//       diverging_epoch (tag 0) => epoch end_offset TAG_BUFFER
//       current_leader (tag 1) => leader_id leader_epoch TAG_BUFFER
//       snapshot_id (tag 2) => end_offset epoch TAG_BUFFER
//       aborted_transactions => producer_id first_offset TAG_BUFFER
import { array, int16, int32, int64, int8, message, nullableArray, nullableString, records, string, struct, tagged, withDefault } from '../../schema.js';

export const request = message(true, {
  clusterId: tagged(0, nullableString),
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
      currentLeaderEpoch: withDefault(int32, -1),
      fetchOffset: int64,
      lastFetchedEpoch: withDefault(int32, -1),
      logStartOffset: withDefault(int64, -1n),
      partitionMaxBytes: int32,
    })),
  })),
  forgottenTopicsData: array(struct({
    topic: string,
    partitions: array(int32),
  })),
  rackId: withDefault(string, ""),
});
export const response = message(true, {
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
      divergingEpoch: tagged(0, struct({
        epoch: withDefault(int32, -1),
        endOffset: withDefault(int64, -1n),
      })),
      currentLeader: tagged(1, struct({
        leaderId: withDefault(int32, -1),
        leaderEpoch: withDefault(int32, -1),
      })),
      snapshotId: tagged(2, struct({
        endOffset: withDefault(int64, -1n),
        epoch: withDefault(int32, -1),
      })),
      abortedTransactions: nullableArray(struct({
        producerId: int64,
        firstOffset: int64,
      })),
      preferredReadReplica: withDefault(int32, -1),
      records: records,
    })),
  })),
});
