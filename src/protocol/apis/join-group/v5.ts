// JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   members => member_id group_instance_id metadata
import { array, bytes, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
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
export const response = message(false, {
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
