// FindCoordinator Request (Version: 3) => key key_type TAG_BUFFER
// FindCoordinator Response (Version: 3) => throttle_time_ms error_code error_message node_id host port TAG_BUFFER
import { int16, int32, int8, message, nullableString, string, withDefault } from '../../schema.js';

export const request = message(true, {
  key: string,
  keyType: withDefault(int8, 0),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  nodeId: int32,
  host: string,
  port: int32,
});
