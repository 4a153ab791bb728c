// DescribeGroups Request (Version: 3) => [groups] include_authorized_operations
// DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     members => member_id client_id client_host member_metadata member_assignment
import { array, bool, bytes, int16, int32, message, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groups: array(string),
  includeAuthorizedOperations: bool,
});
export const response = message(false, {
  throttleTimeMs: int32,
  groups: array(struct({
    errorCode: int16,
    groupId: string,
    groupState: string,
    protocolType: string,
    protocolData: string,
    members: array(struct({
      memberId: string,
      clientId: string,
      clientHost: string,
      memberMetadata: bytes,
      memberAssignment: bytes,
    })),
    authorizedOperations: withDefault(int32, -2147483648),
  })),
});
