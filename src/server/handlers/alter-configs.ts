import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { RESOURCE_TYPE } from './describe-configs.js';
import { code, NONE, toKafkaError } from './errors.js';

interface AlterConfigsRequest {
  resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[];
  validateOnly: boolean;
}

interface IncrementalAlterConfigsRequest {
  resources: { resourceType: number; resourceName: string; configs: { name: string; configOperation: number; value: string | null }[] }[];
  validateOnly: boolean;
}

type Apply<R> = (res: R, validateOnly: boolean) => Promise<void>;

async function alterEach<R extends { resourceType: number; resourceName: string }>(
  ctx: RequestContext,
  resources: R[],
  validateOnly: boolean,
  apply: Apply<R>,
) {
  const responses = [];
  for (const res of resources) {
    const base = { resourceType: res.resourceType, resourceName: res.resourceName };
    if (res.resourceType !== RESOURCE_TYPE.TOPIC) {
      responses.push({ ...base, errorCode: code('INVALID_REQUEST'), errorMessage: 'Only topic configs can be altered on this cluster (broker configs are static)' });
      continue;
    }
    try {
      await apply(res, validateOnly);
      responses.push({ ...base, errorCode: NONE, errorMessage: null as string | null });
    } catch (err) {
      const e = toKafkaError(err, ctx.logger, base);
      ctx.logger.info('config change refused', { ...base, errorCode: e.errorCode, reason: e.errorMessage });
      responses.push({ ...base, errorCode: e.errorCode, errorMessage: e.errorMessage });
    }
  }
  return { throttleTimeMs: 0, responses };
}

/** AlterConfigs v0-2: replaces a topic's overrides in /config/topics/<t> and notifies /config/changes. */
export function alterConfigsHandler(services: BrokerServices): RequestHandler<AlterConfigsRequest> {
  return {
    apiKey: 33,
    minVersion: 0,
    maxVersion: 2,
    handle: (ctx, req) =>
      alterEach(ctx, req.resources, req.validateOnly, async (res, validateOnly) => {
        const configs: Record<string, string> = {};
        for (const c of res.configs) if (c.value !== null) configs[c.name] = c.value;
        await services.admin.alterTopicConfig(res.resourceName, configs, validateOnly);
      }),
  };
}

/** IncrementalAlterConfigs v0-1: SET / DELETE / APPEND / SUBTRACT on a topic's overrides. */
export function incrementalAlterConfigsHandler(services: BrokerServices): RequestHandler<IncrementalAlterConfigsRequest> {
  return {
    apiKey: 44,
    minVersion: 0,
    maxVersion: 1,
    handle: (ctx, req) =>
      alterEach(ctx, req.resources, req.validateOnly, (res, validateOnly) =>
        services.admin.incrementalAlterTopicConfig(res.resourceName, res.configs, validateOnly),
      ),
  };
}
