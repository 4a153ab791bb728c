// JoinGroup Request (Version: 1) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response (Version: 1) => error_code generation_id protocol_name leader member_id [members]
//   members => member_id metadata
export { response } from './v0.js';
import { array, bytes, int32, message, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  sessionTimeoutMs: int32,
  rebalanceTimeoutMs: withDefault(int32, -1),
  memberId: string,
  protocolType: string,
  protocols: array(struct({
    name: string,
    metadata: bytes,
  })),
});
