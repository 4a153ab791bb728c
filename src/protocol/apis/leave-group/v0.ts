// LeaveGroup Request (Version: 0) => group_id member_id
// LeaveGroup Response (Version: 0) => error_code
import { int16, message, string } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  memberId: string,
});
export const response = message(false, {
  errorCode: int16,
});
