// DeleteTopics Request (Version: 4) => [topic_names] timeout_ms TAG_BUFFER
// DeleteTopics Response (Version: 4) => throttle_time_ms [responses] TAG_BUFFER
//   responses => name error_code TAG_BUFFER
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(true, {
  topicNames: array(string),
  timeoutMs: int32,
});
export const response = message(true, {
  throttleTimeMs: int32,
  responses: array(struct({
    name: string,
    errorCode: int16,
  })),
});
