// Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id TAG_BUFFER
// Heartbeat Response (Version: 4) => throttle_time_ms error_code TAG_BUFFER
import { int16, int32, message, nullableString, string } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
});
