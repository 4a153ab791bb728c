// ElectLeaders Request (Version: 2) => election_type [topic_partitions] timeout_ms TAG_BUFFER
//   topic_partitions => topic [partitions] TAG_BUFFER
// ElectLeaders Response (Version: 2) => throttle_time_ms error_code [replica_election_results] TAG_BUFFER
//   replica_election_results => topic [partition_result] TAG_BUFFER
//     partition_result => partition_id error_code error_message TAG_BUFFER
import { array, int16, int32, int8, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  electionType: int8,
  topicPartitions: nullableArray(struct({
    topic: string,
    partitions: array(int32),
  })),
  timeoutMs: withDefault(int32, 60000),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  replicaElectionResults: array(struct({
    topic: string,
    partitionResult: array(struct({
      partitionId: int32,
      errorCode: int16,
      errorMessage: nullableString,
    })),
  })),
});
