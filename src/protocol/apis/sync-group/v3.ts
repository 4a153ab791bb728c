// SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
//   assignments => member_id assignment
// SyncGroup Response (Version: 3) => throttle_time_ms error_code assignment
export { response } from './v1.js';
import { array, bytes, int32, message, nullableString, string, struct } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  assignments: array(struct({
    memberId: string,
    assignment: bytes,
  })),
});
