// InitProducerId Request (Version: 2) => transactional_id transaction_timeout_ms TAG_BUFFER
// InitProducerId Response (Version: 2) => throttle_time_ms error_code producer_id producer_epoch TAG_BUFFER
import { int16, int32, int64, message, nullableString, withDefault } from '../../schema.js';

export const request = message(true, {
  transactionalId: nullableString,
  transactionTimeoutMs: int32,
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  producerId: withDefault(int64, -1n),
  producerEpoch: int16,
});
