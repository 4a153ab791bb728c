// ListGroups Request (Version: 4) => [states_filter] TAG_BUFFER
// ListGroups Response (Version: 4) => throttle_time_ms error_code [groups] TAG_BUFFER
//   groups => group_id protocol_type group_state TAG_BUFFER
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(true, {
  statesFilter: array(string),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  groups: array(struct({
    groupId: string,
    protocolType: string,
    groupState: string,
  })),
});
