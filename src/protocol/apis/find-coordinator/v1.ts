// FindCoordinator Request (Version: 1) => key key_type
// FindCoordinator Response (Version: 1) => throttle_time_ms error_code error_message node_id host port
import { int16, int32, int8, message, nullableString, string, withDefault } from '../../schema.js';

export const request = message(false, {
  key: string,
  keyType: withDefault(int8, 0),
});
export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: string,
  port: int32,
});
