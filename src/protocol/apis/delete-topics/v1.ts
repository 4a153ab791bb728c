// DeleteTopics Request (Version: 1) => [topic_names] timeout_ms
// DeleteTopics Response (Version: 1) => throttle_time_ms [responses]
//   responses => name error_code
export { request } from './v0.js';
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  responses: array(struct({
    name: string,
    errorCode: int16,
  })),
});
