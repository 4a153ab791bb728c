// JoinGroup Request (Version: 9) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason TAG_BUFFER
//   protocols => name metadata TAG_BUFFER
// JoinGroup Response (Version: 9) => throttle_time_ms error_code generation_id protocol_type protocol_name leader skip_assignment member_id [members] TAG_BUFFER
//   members => member_id group_instance_id metadata TAG_BUFFER
export { request } from './v8.js';
import { array, bool, bytes, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: withDefault(int32, -1),
  protocolType: nullableString,
  protocolName: nullableString,
  leader: string,
  skipAssignment: withDefault(bool, false),
  memberId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    metadata: bytes,
  })),
});
