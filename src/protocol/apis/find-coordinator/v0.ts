// FindCoordinator Request (Version: 0) => key
// FindCoordinator Response (Version: 0) => error_code node_id host port
import { int16, int32, message, string } from '../../schema.js';

export const request = message(false, {
  key: string,
});
export const response = message(false, {
  errorCode: int16,
  nodeId: int32,
  host: string,
  port: int32,
});
