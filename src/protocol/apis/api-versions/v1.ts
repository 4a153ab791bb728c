// ApiVersions Request (Version: 1) => 
// ApiVersions Response (Version: 1) => error_code [api_keys] throttle_time_ms
//   api_keys => api_key min_version max_version
export { request } from './v0.js';
import { array, int16, int32, message, struct } from '../../schema.js';

export const response = message(false, {
  errorCode: int16,
  apiKeys: array(struct({
    apiKey: int16,
    minVersion: int16,
    maxVersion: int16,
  })),
  throttleTimeMs: int32,
});
