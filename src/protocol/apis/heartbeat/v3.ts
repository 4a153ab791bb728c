// Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
// Heartbeat Response (Version: 3) => throttle_time_ms error_code
export { response } from './v1.js';
import { int32, message, nullableString, string } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
});
