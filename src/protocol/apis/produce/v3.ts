// Produce Request (Version: 3) => transactional_id acks timeout_ms [topic_data]
//   topic_data => name [partition_data]
//     partition_data => index records
// Produce Response (Version: 3) => [responses] throttle_time_ms
//   responses => name [partition_responses]
//     partition_responses => index error_code base_offset log_append_time_ms
import { array, int16, int32, int64, message, nullableString, records, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  transactionalId: nullableString,
  acks: int16,
  timeoutMs: int32,
  topicData: array(struct({
    name: string,
    partitionData: array(struct({
      index: int32,
      records: records,
    })),
  })),
});
export const response = message(false, {
  responses: array(struct({
    name: string,
    partitionResponses: array(struct({
      index: int32,
      errorCode: int16,
      baseOffset: int64,
      logAppendTimeMs: withDefault(int64, -1n),
    })),
  })),
  throttleTimeMs: int32,
});
