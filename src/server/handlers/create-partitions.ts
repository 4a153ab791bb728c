import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';

interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}

/** CreatePartitions v0-3 on the controller: rewrites the topic's assignment; the controller elects the new leaders. */
export function createPartitionsHandler(services: BrokerServices): RequestHandler<CreatePartitionsRequest> {
  return {
    apiKey: 37,
    minVersion: 0,
    maxVersion: 3,
    async handle(ctx: RequestContext, req: CreatePartitionsRequest) {
      const results = [];
      const grown: { name: string; count: number }[] = [];
      for (const t of req.topics) {
        if (!services.controller.isActive) {
          results.push({ name: t.name, errorCode: code('NOT_CONTROLLER'), errorMessage: 'This is not the correct controller for this cluster.' as string | null });
          continue;
        }
        try {
          await services.admin.createPartitions(t.name, t.count, t.assignments?.map((a) => a.brokerIds) ?? null, req.validateOnly);
          if (!req.validateOnly) grown.push({ name: t.name, count: t.count });
          results.push({ name: t.name, errorCode: NONE, errorMessage: null });
        } catch (err) {
          const e = toKafkaError(err, ctx.logger, { topic: t.name });
          results.push({ name: t.name, errorCode: e.errorCode, errorMessage: e.errorMessage });
        }
      }
      if (grown.length > 0) {
        const cache = services.metadataCache;
        await services.admin.waitForMetadata(() => grown.every((g) => cache.hasLeaders(g.name, g.count)), req.timeoutMs);
      }
      return { throttleTimeMs: 0, results };
    },
  };
}
