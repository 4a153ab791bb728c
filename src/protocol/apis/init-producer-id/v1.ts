// InitProducerId Request (Version: 1) => transactional_id transaction_timeout_ms
// InitProducerId Response (Version: 1) => throttle_time_ms error_code producer_id producer_epoch
// Same layout as the previous version.
export { request, response } from './v0.js';
