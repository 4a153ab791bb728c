// SaslHandshake Request (Version: 1) => mechanism
// SaslHandshake Response (Version: 1) => error_code [mechanisms]
// Same layout as version 0.
export { request, response } from './v0.js';
