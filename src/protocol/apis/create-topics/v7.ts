// CreateTopics Request (Version: 7) => [topics] timeout_ms validate_only TAG_BUFFER
//   topics => name num_partitions replication_factor [assignments] [configs] TAG_BUFFER
//     assignments => partition_index [broker_ids] TAG_BUFFER
//     configs => name value TAG_BUFFER
// CreateTopics Response (Version: 7) => throttle_time_ms [topics] TAG_BUFFER
//   topics => name topic_id error_code error_message num_partitions replication_factor [configs] TAG_BUFFER
//     configs => name value read_only config_source is_sensitive TAG_BUFFER
export { request } from './v5.js';
import { array, bool, int16, int32, int8, message, nullableArray, nullableString, string, struct, tagged, uuid, withDefault } from '../../schema.js';

export const response = message(true, {
  throttleTimeMs: int32,
  topics: array(struct({
    name: string,
    topicId: uuid,
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
