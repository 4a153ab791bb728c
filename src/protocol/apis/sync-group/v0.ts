// SyncGroup Request (Version: 0) => group_id generation_id member_id [assignments]
//   assignments => member_id assignment
// SyncGroup Response (Version: 0) => error_code assignment
import { array, bytes, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  generationId: int32,
  memberId: string,
  assignments: array(struct({
    memberId: string,
    assignment: bytes,
  })),
});
export const response = message(false, {
  errorCode: int16,
  assignment: bytes,
});
