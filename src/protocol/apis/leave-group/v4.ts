// LeaveGroup Request (Version: 4) => group_id [members] TAG_BUFFER
//   members => member_id group_instance_id TAG_BUFFER
// LeaveGroup Response (Version: 4) => throttle_time_ms error_code [members] TAG_BUFFER
//   members => member_id group_instance_id error_code TAG_BUFFER
import { array, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    errorCode: int16,
  })),
});
