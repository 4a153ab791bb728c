// ListGroups Request (Version: 0) => 
// ListGroups Response (Version: 0) => error_code [groups]
//   groups => group_id protocol_type
import { array, int16, message, string, struct } from '../../schema.js';

export const request = message(false, {});
export const response = message(false, {
  errorCode: int16,
  groups: array(struct({
    groupId: string,
    protocolType: string,
  })),
});
