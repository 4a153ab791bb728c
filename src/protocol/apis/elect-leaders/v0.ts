// ElectLeaders Request (Version: 0) => [topic_partitions] timeout_ms
//   topic_partitions => topic [partitions]
// ElectLeaders Response (Version: 0) => throttle_time_ms [replica_election_results]
//   replica_election_results => topic [partition_result]
//     partition_result => partition_id error_code error_message
import { array, int16, int32, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  topicPartitions: nullableArray(struct({
    topic: string,
    partitions: array(int32),
  })),
  timeoutMs: withDefault(int32, 60000),
});
export const response = message(false, {
  throttleTimeMs: int32,
  replicaElectionResults: array(struct({
    topic: string,
    partitionResult: array(struct({
      partitionId: int32,
      errorCode: int16,
      errorMessage: nullableString,
    })),
  })),
});
