// ListPartitionReassignments Request (Version: 0) => timeout_ms [topics] TAG_BUFFER
//   topics => name [partition_indexes] TAG_BUFFER
// ListPartitionReassignments Response (Version: 0) => throttle_time_ms error_code error_message [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index [replicas] [adding_replicas] [removing_replicas] TAG_BUFFER
import { array, int16, int32, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  timeoutMs: withDefault(int32, 60000),
  topics: nullableArray(struct({
    name: string,
    partitionIndexes: array(int32),
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      replicas: array(int32),
      addingReplicas: array(int32),
      removingReplicas: array(int32),
    })),
  })),
});
