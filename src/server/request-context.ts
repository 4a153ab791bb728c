import type { RequestHeader } from '../protocol/headers.js';
import type { Logger } from '../util/logger.js';

export type { RequestHeader };

/** What a connection knows about itself, independent of any request. */
export interface ConnectionInfo {
  readonly connectionId: string;
  /** `host:port` of the peer. */
  readonly clientAddress: string;
  readonly listenerName: string;
  readonly securityProtocol: string;
  /** Aborted when the connection closes, so delayed operations (purgatory waits) can give up. */
  readonly signal: AbortSignal;
}

/** Everything a handler learns about the request besides its body. */
export interface RequestContext extends ConnectionInfo {
  readonly header: RequestHeader;
  /** Child logger with clientId/correlationId; created on first use, so requests that never log pay nothing. */
  readonly logger: Logger;
  readonly receivedAtMs: number;
}

export function createRequestContext(
  connection: ConnectionInfo,
  header: RequestHeader,
  parentLogger: Logger,
  receivedAtMs: number,
): RequestContext {
  let logger: Logger | undefined;
  return {
    connectionId: connection.connectionId,
    clientAddress: connection.clientAddress,
    listenerName: connection.listenerName,
    securityProtocol: connection.securityProtocol,
    signal: connection.signal,
    header,
    receivedAtMs,
    get logger(): Logger {
      logger ??= parentLogger.child({
        connectionId: connection.connectionId,
        clientAddress: connection.clientAddress,
        clientId: header.clientId,
        correlationId: header.correlationId,
        apiKey: header.apiKey,
        apiVersion: header.apiVersion,
      });
      return logger;
    },
  };
}
