// JoinGroup Request (Version: 8) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason TAG_BUFFER
//   protocols => name metadata TAG_BUFFER
// JoinGroup Response (Version: 8) => throttle_time_ms error_code generation_id protocol_type protocol_name leader member_id [members] TAG_BUFFER
//   members => member_id group_instance_id metadata TAG_BUFFER
export { response } from './v7.js';
import { array, bytes, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

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
  reason: nullableString,
});
