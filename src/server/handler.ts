import type { RequestContext } from './request-context.js';

/** Returned by a handler that must not answer (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('NO_RESPONSE');
export type NoResponse = typeof NO_RESPONSE;

/**
 * One Kafka API served by this broker. The declared version range is what ApiVersions advertises,
 * so a handler must serve every version in [minVersion, maxVersion].
 */
// `any` defaults: handlers with different body types are stored side by side in one list.
export interface RequestHandler<Req = any, Res = any> {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(ctx: RequestContext, request: Req): Promise<Res | NoResponse> | Res | NoResponse;
}

/**
 * Thrown by a handler to have the connection closed after the dispatcher logs it, without an error response
 * (e.g. a failed Produce with acks=0, where Kafka closes the connection so the client notices).
 */
export class CloseConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CloseConnectionError';
  }
}
