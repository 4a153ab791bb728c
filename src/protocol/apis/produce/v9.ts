// Produce Request (Version: 9) => transactional_id acks timeout_ms [topic_data] TAG_BUFFER
//   topic_data => name [partition_data] TAG_BUFFER
//     partition_data => index records TAG_BUFFER
// Produce Response (Version: 9) => [responses] throttle_time_ms TAG_BUFFER
//   responses => name [partition_responses] TAG_BUFFER
//     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message TAG_BUFFER
//       record_errors => batch_index batch_index_error_message TAG_BUFFER
import { array, int16, int32, int64, message, nullableString, records, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
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
export const response = message(true, {
  responses: array(struct({
    name: string,
    partitionResponses: array(struct({
      index: int32,
      errorCode: int16,
      baseOffset: int64,
      logAppendTimeMs: withDefault(int64, -1n),
      logStartOffset: withDefault(int64, -1n),
      recordErrors: array(struct({
        batchIndex: int32,
        batchIndexErrorMessage: nullableString,
      })),
      errorMessage: nullableString,
    })),
  })),
  throttleTimeMs: int32,
});
