// ApiVersions Request (Version: 0) => 
// ApiVersions Response (Version: 0) => error_code [api_keys]
//   api_keys => api_key min_version max_version
import { array, int16, message, struct } from '../../schema.js';

export const request = message(false, {});
export const response = message(false, {
  errorCode: int16,
  apiKeys: array(struct({
    apiKey: int16,
    minVersion: int16,
    maxVersion: int16,
  })),
});
