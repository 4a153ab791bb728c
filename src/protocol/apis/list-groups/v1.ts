// ListGroups Request (Version: 1) => 
// ListGroups Response (Version: 1) => throttle_time_ms error_code [groups]
//   groups => group_id protocol_type
export { request } from './v0.js';
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  groups: array(struct({
    groupId: string,
    protocolType: string,
  })),
});
