// SyncGroup Request (Version: 1) => group_id generation_id member_id [assignments]
//   assignments => member_id assignment
// SyncGroup Response (Version: 1) => throttle_time_ms error_code assignment
export { request } from './v0.js';
import { bytes, int16, int32, message } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  assignment: bytes,
});
