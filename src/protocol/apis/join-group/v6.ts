// JoinGroup Request (Version: 6) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] TAG_BUFFER
//   protocols => name metadata TAG_BUFFER
// JoinGroup Response (Version: 6) => throttle_time_ms error_code generation_id protocol_name leader member_id [members] TAG_BUFFER
//   members => member_id group_instance_id metadata TAG_BUFFER
import { array, bytes, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: withDefault(int32, -1),
  memberId: string,
  groupInstanceId: nullableString,
  protocolType: string,
  protocols: array(struct({
    name: string,
    metadata: bytes,
  })),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: withDefault(int32, -1),
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(struct({
    memberId: string,
    groupInstanceId: nullableString,
    metadata: bytes,
  })),
});
