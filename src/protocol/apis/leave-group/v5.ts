// LeaveGroup Request (Version: 5) => group_id [members] TAG_BUFFER
//   members => member_id group_instance_id reason TAG_BUFFER
// LeaveGroup Response (Version: 5) => throttle_time_ms error_code [members] TAG_BUFFER
//   members => member_id group_instance_id error_code TAG_BUFFER
export { response } from './v4.js';
import { array, message, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    reason: nullableString,
  })),
});
