import { decodeRequest, encodeResponse } from '../protocol/codec.js';
import { ProtocolError } from '../protocol/errors.js';
import { API_DEFINITIONS, API_KEYS } from '../protocol/apis/index.js';
import { errorCode } from '../protocol/error-codes.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { CloseConnectionError, NO_RESPONSE } from './handler.js';
import type { RequestHandler } from './handler.js';
import { ApiVersionsHandler } from './handlers/api-versions.js';
import { createRequestContext } from './request-context.js';
import type { ConnectionInfo, RequestHeader } from './request-context.js';

/** One entry of the ApiVersions response. */
export interface AdvertisedApi {
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** The version range the codec has schemas for; a subset of `API_DEFINITIONS` values. */
export interface ApiSchemaRange {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
}

/** What the connection must do with one request frame. */
export type DispatchOutcome =
  | { readonly kind: 'response'; readonly chunks: readonly Buffer[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'close'; readonly reason: string };

export interface DispatcherOptions {
  /** Handlers for every API but ApiVersions, which the dispatcher adds itself unless one is given. */
  readonly handlers: readonly RequestHandler[];
  readonly logger: Logger;
  readonly clock: Clock;
  /** Defaults to the codec's schemas; tests may narrow it. */
  readonly apiDefinitions?: ReadonlyMap<number, ApiSchemaRange>;
}

const NONE: DispatchOutcome = { kind: 'none' };

/**
 * Kafka's request pipeline without a socket: decode, route to the handler serving the API and version,
 * encode the answer. Like KafkaApis it decides when a connection must be closed instead of answered.
 */
export class Dispatcher {
  readonly #handlers = new Map<number, RequestHandler>();
  readonly #advertised: readonly AdvertisedApi[];
  readonly #apiNames = new Map<number, string>();
  readonly #logger: Logger;
  readonly #clock: Clock;

  constructor(options: DispatcherOptions) {
    this.#logger = options.logger;
    this.#clock = options.clock;
    const definitions = options.apiDefinitions ?? API_DEFINITIONS;
    const handlers = [...options.handlers];
    if (!handlers.some((h) => h.apiKey === API_KEYS.ApiVersions)) {
      handlers.push(new ApiVersionsHandler({ advertisedApis: () => this.advertisedApis() }));
    }
    for (const handler of handlers) {
      const schema = definitions.get(handler.apiKey);
      if (schema === undefined) {
        throw new Error(`handler for api key ${handler.apiKey} has no protocol schema`);
      }
      const { minVersion, maxVersion } = handler;
      if (!Number.isInteger(minVersion) || !Number.isInteger(maxVersion) || minVersion > maxVersion) {
        throw new Error(`handler for ${schema.name} declares an invalid version range ${minVersion}-${maxVersion}`);
      }
      if (minVersion < schema.minVersion || maxVersion > schema.maxVersion) {
        throw new Error(
          `handler for ${schema.name} declares versions ${minVersion}-${maxVersion} ` +
            `outside the protocol schemas ${schema.minVersion}-${schema.maxVersion}`,
        );
      }
      if (this.#handlers.has(handler.apiKey)) {
        throw new Error(`two handlers for ${schema.name}`);
      }
      this.#handlers.set(handler.apiKey, handler);
      this.#apiNames.set(handler.apiKey, schema.name);
    }
    this.#advertised = [...this.#handlers.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /** Exactly the APIs and versions some handler serves, ordered by api key. */
  advertisedApis(): readonly AdvertisedApi[] {
    return this.#advertised;
  }

  /** Decode one frame (without its size prefix), run its handler and encode the response. Never rejects. */
  async dispatch(connection: ConnectionInfo, frame: Buffer): Promise<DispatchOutcome> {
    const receivedAtMs = this.#clock.now();
    let header: RequestHeader;
    let body: unknown;
    try {
      ({ header, body } = decodeRequest(frame));
    } catch (err) {
      return this.#onDecodeError(connection, frame, err);
    }
    const handler = this.#handlers.get(header.apiKey);
    if (handler === undefined || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      return this.#onUnsupported(connection, header);
    }
    const ctx = createRequestContext(connection, header, this.#logger, receivedAtMs);
    let response: unknown;
    try {
      response = await handler.handle(ctx, body);
    } catch (err) {
      if (err instanceof CloseConnectionError) {
        this.#logger.info('closing connection at the request of the handler', { ...fields(connection, header), error: err.message });
        return { kind: 'close', reason: err.message };
      }
      this.#logger.error('unexpected error in request handler; closing the connection', {
        ...fields(connection, header),
        api: this.#apiNames.get(header.apiKey),
        error: describe(err),
      });
      return { kind: 'close', reason: 'handler error' };
    }
    if (response === NO_RESPONSE) return NONE;
    return this.#encode(connection, header, response);
  }

  #onDecodeError(connection: ConnectionInfo, frame: Buffer, err: unknown): DispatchOutcome {
    if (err instanceof ProtocolError) {
      const header: RequestHeader | undefined = err.header;
      if (err.kind === 'UNSUPPORTED_VERSION' && header !== undefined) return this.#onUnsupported(connection, header);
      this.#logger.warn('invalid request; closing the connection', {
        ...(header === undefined ? connectionFields(connection) : fields(connection, header)),
        frameBytes: frame.length,
        error: err.message,
      });
      return { kind: 'close', reason: 'invalid request' };
    }
    this.#logger.error('unexpected error decoding a request; closing the connection', {
      ...connectionFields(connection),
      frameBytes: frame.length,
      error: describe(err),
    });
    return { kind: 'close', reason: 'decode error' };
  }

  /**
   * KIP-511: an ApiVersions request of a version we do not serve is answered with a v0 body behind a v0 header
   * (UNSUPPORTED_VERSION and our own ApiVersions range) so the client can retry. Anything else is closed, as Kafka does.
   */
  #onUnsupported(connection: ConnectionInfo, header: RequestHeader): DispatchOutcome {
    const apiVersions = this.#handlers.get(API_KEYS.ApiVersions);
    if (header.apiKey === API_KEYS.ApiVersions && apiVersions !== undefined) {
      this.#logger.debug('unsupported ApiVersions version; answering with v0', fields(connection, header));
      const body = {
        errorCode: errorCode('UNSUPPORTED_VERSION'),
        apiKeys: [{ apiKey: apiVersions.apiKey, minVersion: apiVersions.minVersion, maxVersion: apiVersions.maxVersion }],
      };
      return this.#encode(connection, { ...header, apiVersion: 0 }, body);
    }
    const api = this.#apiNames.get(header.apiKey);
    this.#logger.warn(
      api === undefined ? 'unknown api key; closing the connection' : 'unsupported api version; closing the connection',
      { ...fields(connection, header), api },
    );
    return { kind: 'close', reason: 'unsupported api or version' };
  }

  #encode(connection: ConnectionInfo, header: RequestHeader, response: unknown): DispatchOutcome {
    try {
      return { kind: 'response', chunks: encodeResponse(header, response) };
    } catch (err) {
      this.#logger.error('failed to encode a response; closing the connection', {
        ...fields(connection, header),
        error: describe(err),
      });
      return { kind: 'close', reason: 'encode error' };
    }
  }
}

function connectionFields(connection: ConnectionInfo): Record<string, unknown> {
  return {
    connectionId: connection.connectionId,
    clientAddress: connection.clientAddress,
    listenerName: connection.listenerName,
  };
}

function fields(connection: ConnectionInfo, header: RequestHeader): Record<string, unknown> {
  return {
    ...connectionFields(connection),
    apiKey: header.apiKey,
    apiVersion: header.apiVersion,
    correlationId: header.correlationId,
    clientId: header.clientId,
  };
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
