// SaslHandshake Request (Version: 1) => mechanism
// SaslHandshake Response (Version: 1) => error_code [mechanisms]
// Same layout as the previous version.
export { request, response } from './v0.js';
