// DeleteGroups Request (Version: 0) => [groups_names]
// DeleteGroups Response (Version: 0) => throttle_time_ms [results]
//   results => group_id error_code
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(false, {
  groupsNames: array(string),
});
export const response = message(false, {
  throttleTimeMs: int32,
  results: array(struct({
    groupId: string,
    errorCode: int16,
  })),
});
