// DeleteGroups Request (Version: 2) => [groups_names] TAG_BUFFER
// DeleteGroups Response (Version: 2) => throttle_time_ms [results] TAG_BUFFER
//   results => group_id error_code TAG_BUFFER
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(true, {
  groupsNames: array(string),
});
export const response = message(true, {
  throttleTimeMs: int32,
  results: array(struct({
    groupId: string,
    errorCode: int16,
  })),
});
