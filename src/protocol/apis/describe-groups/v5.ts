// DescribeGroups Request (Version: 5) => [groups] include_authorized_operations TAG_BUFFER
// DescribeGroups Response (Version: 5) => throttle_time_ms [groups] TAG_BUFFER
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations TAG_BUFFER
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment TAG_BUFFER
import { array, bool, bytes, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  groups: array(string),
  includeAuthorizedOperations: bool,
});
export const response = message(true, {
  throttleTimeMs: int32,
  groups: array(struct({
    errorCode: int16,
    groupId: string,
    groupState: string,
    protocolType: string,
    protocolData: string,
    members: array(struct({
      memberId: string,
      groupInstanceId: nullableString,
      clientId: string,
      clientHost: string,
      memberMetadata: bytes,
      memberAssignment: bytes,
    })),
    authorizedOperations: withDefault(int32, -2147483648),
  })),
});
