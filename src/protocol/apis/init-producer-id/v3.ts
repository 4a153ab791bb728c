// InitProducerId Request (Version: 3) => transactional_id transaction_timeout_ms producer_id producer_epoch TAG_BUFFER
// InitProducerId Response (Version: 3) => throttle_time_ms error_code producer_id producer_epoch TAG_BUFFER
export { response } from './v2.js';
import { int16, int32, int64, message, nullableString, withDefault } from '../../schema.js';

export const request = message(true, {
  transactionalId: nullableString,
  transactionTimeoutMs: int32,
  producerId: withDefault(int64, -1n),
  producerEpoch: withDefault(int16, -1),
});
