// LeaveGroup Request (Version: 3) => group_id [members]
//   members => member_id group_instance_id
// LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
//   members => member_id group_instance_id error_code
import { array, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
  })),
});
export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    errorCode: int16,
  })),
});
