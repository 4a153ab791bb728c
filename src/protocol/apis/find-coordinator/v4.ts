// FindCoordinator Request (Version: 4) => key_type [coordinator_keys] TAG_BUFFER
// FindCoordinator Response (Version: 4) => throttle_time_ms [coordinators] TAG_BUFFER
//   coordinators => key node_id host port error_code error_message TAG_BUFFER
import { array, int16, int32, int8, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  keyType: withDefault(int8, 0),
  coordinatorKeys: array(string),
});
export const response = message(true, {
  throttleTimeMs: int32,
  coordinators: array(struct({
    key: string,
    nodeId: int32,
    host: string,
    port: int32,
    errorCode: int16,
    errorMessage: nullableString,
  })),
});
