// InitProducerId Request (Version: 0) => transactional_id transaction_timeout_ms
// InitProducerId Response (Version: 0) => throttle_time_ms error_code producer_id producer_epoch
import { int16, int32, int64, message, nullableString, withDefault } from '../../schema.js';

export const request = message(false, {
  transactionalId: nullableString,
  transactionTimeoutMs: int32,
});
export const response = message(false, {
  throttleTimeMs: int32,
  errorCode: int16,
  producerId: withDefault(int64, -1n),
  producerEpoch: int16,
});
