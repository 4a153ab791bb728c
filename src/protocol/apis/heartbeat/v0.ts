// Heartbeat Request (Version: 0) => group_id generation_id member_id
// Heartbeat Response (Version: 0) => error_code
import { int16, int32, message, string } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: int32,
  memberId: string,
});
export const response = message(false, {
  errorCode: int16,
});
