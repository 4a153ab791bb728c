// DeleteTopics Request (Version: 5) => [topic_names] timeout_ms TAG_BUFFER
// DeleteTopics Response (Version: 5) => throttle_time_ms [responses] TAG_BUFFER
//   responses => name error_code error_message TAG_BUFFER
export { request } from './v4.js';
import { array, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const response = message(true, {
  throttleTimeMs: int32,
  responses: array(struct({
    name: string,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
