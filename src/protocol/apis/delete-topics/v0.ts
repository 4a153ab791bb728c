// DeleteTopics Request (Version: 0) => [topic_names] timeout_ms
// DeleteTopics Response (Version: 0) => [responses]
//   responses => name error_code
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(false, {
  topicNames: array(string),
  timeoutMs: int32,
});
export const response = message(false, {
  responses: array(struct({
    name: string,
    errorCode: int16,
  })),
});
