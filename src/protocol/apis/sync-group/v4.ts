// SyncGroup Request (Version: 4) => group_id generation_id member_id group_instance_id [assignments] TAG_BUFFER
//   assignments => member_id assignment TAG_BUFFER
// SyncGroup Response (Version: 4) => throttle_time_ms error_code assignment TAG_BUFFER
import { array, bytes, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  assignments: array(struct({
    memberId: string,
    assignment: bytes,
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  assignment: bytes,
});
