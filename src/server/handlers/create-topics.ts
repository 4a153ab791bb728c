import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE, toKafkaError } from './errors.js';
import { wireTopicId } from './topic-id.js';

interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly?: boolean;
}

/** CreateTopics v0-7, served by the controller (NOT_CONTROLLER elsewhere); waits for leaders up to timeout_ms. */
export function createTopicsHandler(services: BrokerServices): RequestHandler<CreateTopicsRequest> {
  return {
    apiKey: 19,
    minVersion: 0,
    maxVersion: 7,
    async handle(ctx: RequestContext, req: CreateTopicsRequest) {
      const validateOnly = req.validateOnly === true;
      const counts = new Map<string, number>();
      for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
      const results = [];
      const created: { name: string; partitions: number }[] = [];
      for (const t of req.topics) {
        const base = { name: t.name, topicId: wireTopicId(''), numPartitions: -1, replicationFactor: -1, configs: null };
        if (!services.controller.isActive) {
          results.push({ ...base, errorCode: code('NOT_CONTROLLER'), errorMessage: 'This is not the correct controller for this cluster.' });
          continue;
        }
        if ((counts.get(t.name) ?? 0) > 1) {
          results.push({ ...base, errorCode: code('INVALID_REQUEST'), errorMessage: `Create topics request from client ${ctx.header.clientId ?? ''} contains multiple entries for the topic ${t.name}` });
          continue;
        }
        try {
          const configs: Record<string, string> = {};
          for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
          const assignments = t.assignments.length > 0 ? new Map(t.assignments.map((a) => [a.partitionIndex, a.brokerIds])) : null;
          const r = await services.admin.createTopic(
            { name: t.name, numPartitions: t.numPartitions, replicationFactor: t.replicationFactor, assignments, configs },
            validateOnly,
          );
          if (!validateOnly) created.push({ name: t.name, partitions: r.numPartitions });
          results.push({ ...base, errorCode: NONE, errorMessage: null, numPartitions: r.numPartitions, replicationFactor: r.replicationFactor });
        } catch (err) {
          const e = toKafkaError(err, ctx.logger, { topic: t.name });
          ctx.logger.info('topic creation refused', { topic: t.name, errorCode: e.errorCode, reason: e.errorMessage });
          results.push({ ...base, errorCode: e.errorCode, errorMessage: e.errorMessage });
        }
      }
      if (created.length > 0 && req.timeoutMs > 0) {
        const cache = services.metadataCache;
        const ready = await services.admin.waitForMetadata(() => created.every((c) => cache.hasLeaders(c.name, c.partitions)), req.timeoutMs);
        for (const r of results) {
          if (created.some((c) => c.name === r.name)) {
            r.topicId = wireTopicId(cache.topic(r.name)?.topicId);
            if (!ready && !cache.hasLeaders(r.name)) {
              r.errorCode = code('REQUEST_TIMED_OUT');
              r.errorMessage = 'Topic was created but its leaders were not elected within the timeout';
            }
          }
        }
      }
      return { throttleTimeMs: 0, topics: results };
    },
  };
}
