// CreateTopics Request (Version: 5) => [topics] timeout_ms validate_only TAG_BUFFER
//   topics => name num_partitions replication_factor [assignments] [configs] TAG_BUFFER
//     assignments => partition_index [broker_ids] TAG_BUFFER
//     configs => name value TAG_BUFFER
// CreateTopics Response (Version: 5) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name error_code error_message num_partitions replication_factor [configs] TAG_BUFFER
//     configs => name value read_only config_source is_sensitive TAG_BUFFER
import { array, bool, int16, int32, int8, message, nullableArray, nullableString, string, struct, tagged, withDefault } from '../../schema.js';

export const request = message(true, {
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
export const response = message(true, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
    topicConfigErrorCode: tagged(0, int16),
    numPartitions: withDefault(int32, -1),
    replicationFactor: withDefault(int16, -1),
    configs: nullableArray(struct({
      name: string,
      value: nullableString,
      readOnly: bool,
      configSource: withDefault(int8, -1),
      isSensitive: bool,
    })),
  })),
});
