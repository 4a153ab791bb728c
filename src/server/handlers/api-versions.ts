// ApiVersions Request (Version: 3) => client_software_name client_software_version
// ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms <tagged: supported_features finalized_features_epoch finalized_features zk_migration_ready>
import { API_KEYS } from '../../protocol/apis/index.js';
import { errorCode } from '../../protocol/error-codes.js';
import type { ApiVersionsRequest, ApiVersionsResponseInput } from '../../protocol/apis/index.js';
import type { AdvertisedApi } from '../dispatcher.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';

/** KIP-511: what client_software_name and client_software_version must look like. */
const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function isValidClientSoftware(value: string | undefined | null): boolean {
  return typeof value === 'string' && SOFTWARE_PATTERN.test(value);
}

/**
 * Answers ApiVersions from the dispatcher's list, which is built from the handlers' declared ranges,
 * so nothing is advertised that no handler serves. The dispatcher registers this handler itself.
 */
export class ApiVersionsHandler implements RequestHandler<ApiVersionsRequest, ApiVersionsResponseInput> {
  readonly apiKey = API_KEYS.ApiVersions;
  readonly minVersion = 0;
  readonly maxVersion = 3;
  readonly #advertisedApis: () => readonly AdvertisedApi[];

  constructor(options: { advertisedApis: () => readonly AdvertisedApi[] }) {
    this.#advertisedApis = options.advertisedApis;
  }

  handle(ctx: RequestContext, request: ApiVersionsRequest): ApiVersionsResponseInput {
    const version = ctx.header.apiVersion;
    if (
      version >= 3 &&
      !(isValidClientSoftware(request.clientSoftwareName) && isValidClientSoftware(request.clientSoftwareVersion))
    ) {
      ctx.logger.info('ApiVersions with an invalid client software name or version', {
        clientSoftwareName: request.clientSoftwareName,
        clientSoftwareVersion: request.clientSoftwareVersion,
      });
      return { errorCode: errorCode('INVALID_REQUEST'), apiKeys: [], throttleTimeMs: 0 };
    }
    // throttle_time_ms exists from v1; the encoder leaves out fields a version does not have.
    return { errorCode: 0, apiKeys: this.#advertisedApis(), throttleTimeMs: 0 };
  }
}
