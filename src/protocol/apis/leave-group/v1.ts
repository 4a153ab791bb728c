// LeaveGroup Request (Version: 1) => group_id member_id
// LeaveGroup Response (Version: 1) => throttle_time_ms error_code
export { request } from './v0.js';
import { int16, int32, message } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
});
