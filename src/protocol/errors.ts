import { StreamkeeperError } from '../util/errors.js';

/** Kafka error names a protocol failure maps to. */
export const PROTOCOL_ERROR_KINDS = {
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  CORRUPT_MESSAGE: 'CORRUPT_MESSAGE',
  INVALID_RECORD: 'INVALID_RECORD',
} as const;
export type ProtocolErrorKind = (typeof PROTOCOL_ERROR_KINDS)[keyof typeof PROTOCOL_ERROR_KINDS];

/** The request header as far as it could be parsed, attached to errors so the server can still answer. */
export interface PartialRequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** A malformed, truncated or unsupported message. `kafkaError` equals `kind`. */
export class ProtocolError extends StreamkeeperError {
  readonly kind: ProtocolErrorKind;
  readonly header: PartialRequestHeader | undefined;
  constructor(
    kind: ProtocolErrorKind,
    message: string,
    options?: { cause?: unknown; header?: PartialRequestHeader },
  ) {
    super(kind, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.header = options?.header;
  }
}

/** A frame whose size prefix is negative or above the configured limit; the connection must be closed. */
export class FrameTooLargeError extends ProtocolError {
  readonly size: number;
  readonly maxFrameBytes: number;
  constructor(size: number, maxFrameBytes: number) {
    super('INVALID_REQUEST', `frame size ${size} outside [0, ${maxFrameBytes}]`);
    this.size = size;
    this.maxFrameBytes = maxFrameBytes;
  }
}
