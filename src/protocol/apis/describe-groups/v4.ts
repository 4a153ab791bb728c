// DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
// DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment
export { request } from './v3.js';
import { array, bytes, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

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
      groupInstanceId: nullableString,
      clientId: string,
      clientHost: string,
      memberMetadata: bytes,
      memberAssignment: bytes,
    })),
    authorizedOperations: withDefault(int32, -2147483648),
  })),
});
