import { API_DEFINITIONS } from './apis/index.js';
import { ProtocolError, type PartialRequestHeader } from './errors.js';
import type { Reader } from './reader.js';
import type { Writer } from './writer.js';

export type RequestHeader = PartialRequestHeader;

export interface ResponseHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
}

const API_VERSIONS_KEY = 18;
const CONTROLLED_SHUTDOWN_KEY = 7;

/** Whether (apiKey, apiVersion) uses flexible encodings; unknown APIs are treated as non-flexible. */
export function isFlexible(apiKey: number, apiVersion: number): boolean {
  const first = API_DEFINITIONS.get(apiKey)?.firstFlexibleVersion ?? null;
  return first !== null && apiVersion >= first;
}

/** Request header version: 2 for flexible versions, 0 for ControlledShutdown v0, else 1. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 | 2 {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  return isFlexible(apiKey, apiVersion) ? 2 : 1;
}

/** Response header version: 1 for flexible versions except ApiVersions, which always uses 0. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === API_VERSIONS_KEY) return 0;
  return isFlexible(apiKey, apiVersion) ? 1 : 0;
}

/**
 * Decode a request header. If the fixed part parses but the rest does not, the error carries the
 * partial header so the server can still answer with the right correlation id.
 */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const header: RequestHeader = { apiKey: r.int16(), apiVersion: r.int16(), correlationId: r.int32(), clientId: null };
  const version = requestHeaderVersion(header.apiKey, header.apiVersion);
  try {
    if (version >= 1) header.clientId = r.nullableString();
    if (version >= 2) r.taggedFields();
  } catch (cause) {
    throw new ProtocolError('INVALID_REQUEST', 'malformed request header', { cause, header });
  }
  return header;
}

export function encodeRequestHeader(w: Writer, header: RequestHeader): void {
  const version = requestHeaderVersion(header.apiKey, header.apiVersion);
  w.int16(header.apiKey).int16(header.apiVersion).int32(header.correlationId);
  if (version >= 1) w.nullableString(header.clientId);
  if (version >= 2) w.uvarint(0);
}

export function encodeResponseHeader(w: Writer, header: ResponseHeader): void {
  w.int32(header.correlationId);
  if (responseHeaderVersion(header.apiKey, header.apiVersion) === 1) w.uvarint(0);
}

/** Decode a response header; returns the correlation id. */
export function decodeResponseHeader(r: Reader, apiKey: number, apiVersion: number): number {
  const correlationId = r.int32();
  if (responseHeaderVersion(apiKey, apiVersion) === 1) r.taggedFields();
  return correlationId;
}
