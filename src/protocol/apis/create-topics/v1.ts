// CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
//   topics => name num_partitions replication_factor [assignments] [configs]
//     assignments => partition_index [broker_ids]
//     configs => name value
// CreateTopics Response (Version: 1) => [topics]
//   topics => name error_code error_message
import { array, bool, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  topics: array(struct({
    name: string,
    numPartitions: int32,
    replicationFactor: int16,
    assignments: array(struct({
      partitionIndex: int32,
      brokerIds: array(int32),
    })),
    configs: array(struct({
      name: string,
      value: nullableString,
    })),
  })),
  timeoutMs: withDefault(int32, 60000),
  validateOnly: withDefault(bool, false),
});
export const response = message(false, {
  topics: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
