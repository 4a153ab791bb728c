import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';
import { wireTopicId } from './topic-id.js';

interface DeleteTopicsRequest {
  topicNames?: string[];
  topics?: { name: string | null }[];
  timeoutMs: number;
}

/** DeleteTopics v0-6 on the controller: marks /admin/delete_topics/<t> and waits until brokers dropped the topic. */
export function deleteTopicsHandler(services: BrokerServices): RequestHandler<DeleteTopicsRequest> {
  return {
    apiKey: 20,
    minVersion: 0,
    maxVersion: 6,
    async handle(ctx: RequestContext, req: DeleteTopicsRequest) {
      const names = ctx.header.apiVersion >= 6 ? (req.topics ?? []).map((t) => t.name ?? '') : (req.topicNames ?? []);
      const responses = [];
      const marked: string[] = [];
      for (const name of names) {
        const topicId = wireTopicId(services.metadataCache.topic(name)?.topicId);
        if (!services.controller.isActive) {
          responses.push({ name, topicId, errorCode: code('NOT_CONTROLLER'), errorMessage: 'This is not the correct controller for this cluster.' });
          continue;
        }
        try {
          await services.admin.deleteTopic(name);
          marked.push(name);
          responses.push({ name, topicId, errorCode: NONE, errorMessage: null as string | null });
        } catch (err) {
          const e = toKafkaError(err, ctx.logger, { topic: name });
          responses.push({ name, topicId, errorCode: e.errorCode, errorMessage: e.errorMessage });
        }
      }
      if (marked.length > 0) {
        const cache = services.metadataCache;
        const gone = await services.admin.waitForMetadata(() => marked.every((t) => cache.topic(t) === undefined), req.timeoutMs);
        if (!gone) {
          for (const r of responses) {
            if (marked.includes(r.name) && cache.topic(r.name) !== undefined) {
              r.errorCode = code('REQUEST_TIMED_OUT');
              r.errorMessage = 'Topic deletion did not complete within the timeout';
            }
          }
        }
      }
      return { throttleTimeMs: 0, responses };
    },
  };
}
