import { API_DEFINITIONS } from './apis/index.js';
import type { ApiDefinition } from './apis/api-definition.js';
import { ProtocolError } from './errors.js';
import {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  type RequestHeader,
  type ResponseHeader,
} from './headers.js';
import { Reader } from './reader.js';
import { decode, encode, type InferInput, type MessageSchema } from './schema.js';
import { Writer } from './writer.js';

export interface DecodedRequest<T = unknown> {
  header: RequestHeader;
  body: T;
}

export interface DecodedResponse<T = unknown> {
  correlationId: number;
  body: T;
}

function definition(apiKey: number, header?: RequestHeader): ApiDefinition {
  const api = API_DEFINITIONS.get(apiKey);
  if (api === undefined) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `unknown api key ${apiKey}`, header === undefined ? {} : { header });
  }
  return api;
}

function schemaOf(apiKey: number, apiVersion: number, kind: 'request' | 'response', header?: RequestHeader): MessageSchema {
  const api = definition(apiKey, header);
  try {
    return api[kind](apiVersion);
  } catch (cause) {
    throw new ProtocolError('UNSUPPORTED_VERSION', `${api.name} v${apiVersion} not supported`, header === undefined ? { cause } : { cause, header });
  }
}

/**
 * Decode a request frame (the bytes after the 4-byte size prefix). Unknown api keys or versions throw
 * UNSUPPORTED_VERSION, unparsable bodies INVALID_REQUEST; both carry the parsed header.
 * Record batches in the body are zero-copy views of `frame`.
 */
export function decodeRequest(frame: Buffer): DecodedRequest {
  const r = new Reader(frame);
  let header: RequestHeader;
  try {
    header = decodeRequestHeader(r);
  } catch (cause) {
    if (cause instanceof ProtocolError) throw cause;
    throw new ProtocolError('INVALID_REQUEST', 'truncated request header', { cause });
  }
  const schema = schemaOf(header.apiKey, header.apiVersion, 'request', header);
  try {
    return { header, body: decode(schema, r) };
  } catch (cause) {
    throw new ProtocolError('INVALID_REQUEST', `malformed api ${header.apiKey} v${header.apiVersion} request body`, { cause, header });
  }
}

/** Encode a response as chunks, size prefix first; record buffers are referenced, not copied. */
export function encodeResponse(header: ResponseHeader, body: unknown): Buffer[] {
  const schema = schemaOf(header.apiKey, header.apiVersion, 'response');
  const w = new Writer();
  const size = w.reserveInt32();
  encodeResponseHeader(w, header);
  encode(schema, body as InferInput<MessageSchema>, w);
  w.fillInt32(size, w.length - size.end);
  return w.chunks();
}

/** Encode a request as chunks, size prefix first (client side: tests and tools). */
export function encodeRequest(header: RequestHeader, body: unknown): Buffer[] {
  const schema = schemaOf(header.apiKey, header.apiVersion, 'request');
  const w = new Writer();
  const size = w.reserveInt32();
  encodeRequestHeader(w, header);
  encode(schema, body as InferInput<MessageSchema>, w);
  w.fillInt32(size, w.length - size.end);
  return w.chunks();
}

/** Decode a response frame (after the size prefix) of a request sent with (apiKey, apiVersion). */
export function decodeResponse(frame: Buffer, apiKey: number, apiVersion: number): DecodedResponse {
  const schema = schemaOf(apiKey, apiVersion, 'response');
  const r = new Reader(frame);
  const correlationId = decodeResponseHeader(r, apiKey, apiVersion);
  return { correlationId, body: decode(schema, r) };
}
