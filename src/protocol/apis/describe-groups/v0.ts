// DescribeGroups Request (Version: 0) => [groups]
// DescribeGroups Response (Version: 0) => [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     members => member_id client_id client_host member_metadata member_assignment
import { array, bytes, int16, message, string, struct } from '../../schema.js';

export const request = message(false, {
  groups: array(string),
});
export const response = message(false, {
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
  })),
});
