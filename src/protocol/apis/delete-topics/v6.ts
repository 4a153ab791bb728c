// DeleteTopics Request (Version: 6) => [topics] timeout_ms TAG_BUFFER
//   topics => name topic_id TAG_BUFFER
// DeleteTopics Response (Version: 6) => throttle_time_ms [responses] TAG_BUFFER
//   responses => name topic_id error_code error_message TAG_BUFFER
import { array, int16, int32, message, nullableString, struct, uuid } from '../../schema.js';

export const request = message(true, {
  topics: array(struct({
    name: nullableString,
    topicId: uuid,
  })),
  timeoutMs: int32,
});
export const response = message(true, {
  throttleTimeMs: int32,
  responses: array(struct({
    name: nullableString,
    topicId: uuid,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
