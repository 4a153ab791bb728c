// SaslHandshake Request (Version: 0) => mechanism
// SaslHandshake Response (Version: 0) => error_code [mechanisms]
import { array, int16, message, string } from '../../schema.js';

export const request = message(false, {
  mechanism: string,
});
export const response = message(false, {
  errorCode: int16,
  mechanisms: array(string),
});
