// SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] TAG_BUFFER
//   assignments => member_id assignment TAG_BUFFER
// SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment TAG_BUFFER
import { array, bytes, int16, int32, message, nullableString, string, struct } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  generationId: int32,
  memberId: string,
  groupInstanceId: nullableString,
  protocolType: nullableString,
  protocolName: nullableString,
  assignments: array(struct({
    memberId: string,
    assignment: bytes,
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  protocolType: nullableString,
  protocolName: nullableString,
  assignment: bytes,
});
