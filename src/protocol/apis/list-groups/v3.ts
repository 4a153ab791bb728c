// ListGroups Request (Version: 3) => TAG_BUFFER
// ListGroups Response (Version: 3) => throttle_time_ms error_code [groups] TAG_BUFFER
//   groups => group_id protocol_type TAG_BUFFER
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(true, {});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  groups: array(struct({
    groupId: string,
    protocolType: string,
  })),
});
