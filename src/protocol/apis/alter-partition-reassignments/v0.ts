// AlterPartitionReassignments Request (Version: 0) => timeout_ms [topics] TAG_BUFFER
//   topics => name [partitions] TAG_BUFFER
//     partitions => partition_index [replicas] TAG_BUFFER
// AlterPartitionReassignments Response (Version: 0) => throttle_time_ms error_code error_message [responses] TAG_BUFFER
//   responses => name [partitions] TAG_BUFFER
//     partitions => partition_index error_code error_message TAG_BUFFER
import { array, int16, int32, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  timeoutMs: withDefault(int32, 60000),
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      replicas: nullableArray(int32),
    })),
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  responses: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
      errorMessage: nullableString,
    })),
  })),
});
