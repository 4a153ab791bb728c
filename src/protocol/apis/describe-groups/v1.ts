// DescribeGroups Request (Version: 1) => [groups]
// DescribeGroups Response (Version: 1) => throttle_time_ms [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     members => member_id client_id client_host member_metadata member_assignment
export { request } from './v0.js';
import { array, bytes, int16, int32, message, string, struct } from '../../schema.js';

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
  })),
});
