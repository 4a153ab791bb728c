import { ProtocolError } from '../errors.js';
import type { MessageSchema } from '../schema.js';

/** One version's request and response layouts (a `v<N>.ts` module). */
export interface VersionSchemas {
  readonly request: MessageSchema;
  readonly response: MessageSchema;
}

export interface ApiDefinition {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First version using compact encodings, tagged fields and header v2 / v1; null when none is. */
  readonly firstFlexibleVersion: number | null;
  /** Request schema of `version`; throws ProtocolError UNSUPPORTED_VERSION outside [min, max]. */
  request(version: number): MessageSchema;
  response(version: number): MessageSchema;
}

export interface ApiMeta {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  firstFlexibleVersion: number | null;
}

/** Build an ApiDefinition from version modules listed in order from minVersion. */
export function defineApi(meta: ApiMeta, versions: readonly VersionSchemas[]): ApiDefinition {
  if (versions.length !== meta.maxVersion - meta.minVersion + 1) {
    throw new Error(`${meta.name}: ${versions.length} version modules for ${meta.minVersion}-${meta.maxVersion}`);
  }
  const at = (version: number): VersionSchemas => {
    const v = Number.isInteger(version) ? versions[version - meta.minVersion] : undefined;
    if (v === undefined) {
      throw new ProtocolError(
        'UNSUPPORTED_VERSION',
        `${meta.name} v${version} outside supported ${meta.minVersion}-${meta.maxVersion}`,
      );
    }
    return v;
  };
  return {
    ...meta,
    request: (version) => at(version).request,
    response: (version) => at(version).response,
  };
}
