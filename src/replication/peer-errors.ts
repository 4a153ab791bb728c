import { StreamkeeperError } from '../util/errors.js';

/** Errors of the inter-broker channel. `retriable` says whether the same request may simply be sent again. */
export class PeerError extends StreamkeeperError {
  readonly retriable: boolean;
  constructor(kafkaError: string, message: string, retriable: boolean, options?: { cause?: unknown }) {
    super(kafkaError, message, options);
    this.retriable = retriable;
  }
}

/** A frame that is not valid MessagePack or not a valid envelope. */
export class PeerProtocolError extends PeerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CORRUPT_MESSAGE', message, false, options);
  }
}

/** The peer cannot be reached, or the connection dropped while the request was outstanding. Retriable. */
export class PeerUnavailableError extends PeerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('NETWORK_EXCEPTION', message, true, options);
  }
}

/** The client was closed; requests to it will never succeed. */
export class PeerClosedError extends PeerError {
  constructor(message: string) {
    super('NETWORK_EXCEPTION', message, false);
  }
}

/** No response within the request timeout. `sent` says whether the request left this broker (the peer may have acted on it). */
export class PeerTimeoutError extends PeerError {
  readonly sent: boolean;
  constructor(message: string, sent: boolean, options?: { cause?: unknown }) {
    super('REQUEST_TIMED_OUT', message, true, options);
    this.sent = sent;
  }
}

/** Mutual authentication failed (wrong secret, wrong cluster, or the remote is an impostor). */
export class PeerAuthError extends PeerError {
  constructor(message: string) {
    super('SASL_AUTHENTICATION_FAILED', message, false);
  }
}

/** The peer's handler failed; `code` is the error name the peer sent (a Kafka error name where one applies). */
export class PeerRemoteError extends PeerError {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, false, options);
    this.code = code;
  }
}

/** A request whose encoded frame exceeds the configured maximum payload. */
export class PeerFrameTooLargeError extends PeerError {
  constructor(message: string) {
    super('MESSAGE_TOO_LARGE', message, false);
  }
}

/** The request was aborted through its AbortSignal. */
export class PeerAbortError extends PeerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REQUEST_TIMED_OUT', message, false, options);
  }
}
