// JoinGroup Request (Version: 2) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response (Version: 2) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   members => member_id metadata
export { request } from './v1.js';
import { array, bytes, int16, int32, message, string, struct, withDefault } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  generationId: withDefault(int32, -1),
  protocolName: string,
  leader: string,
  memberId: string,
  members: array(struct({
    memberId: string,
    metadata: bytes,
  })),
});
