// JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
//   protocols => name metadata
// JoinGroup Response (Version: 0) => error_code generation_id protocol_name leader member_id [members]
//   members => member_id metadata
import { array, bytes, int16, int32, message, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  sessionTimeoutMs: int32,
  memberId: string,
  protocolType: string,
  protocols: array(struct({
    name: string,
    metadata: bytes,
  })),
});
export const response = message(false, {
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
