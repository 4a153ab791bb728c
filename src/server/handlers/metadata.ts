import type { LiveBroker } from '../../cluster/controller-requests.js';
import { INTERNAL_TOPICS, OFFSETS_TOPIC, isValidTopicName } from '../../cluster/topic-names.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE } from './errors.js';
import { wireTopicId } from './topic-id.js';

interface MetadataRequest {
  topics: { name: string | null; topicId?: unknown }[] | null;
  allowAutoTopicCreation?: boolean;
}

/** Kafka's INT32_MIN: authorized operations were not asked for. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/** The host and port a broker serves on the listener this request arrived on. */
export function endpointFor(b: LiveBroker, listenerName: string): { host: string; port: number } | undefined {
  return b.endpoints.find((e) => e.listener === listenerName) ?? b.endpoints[0];
}

export function brokersFor(services: BrokerServices, listenerName: string) {
  return services.metadataCache.liveBrokers().flatMap((b) => {
    const ep = endpointFor(b, listenerName);
    return ep === undefined ? [] : [{ nodeId: b.id, host: ep.host, port: ep.port, rack: b.rack }];
  });
}

function describeTopic(services: BrokerServices, name: string) {
  const cache = services.metadataCache;
  const t = cache.topic(name);
  if (t === undefined) return null;
  const partitions = [...t.partitions.values()]
    .sort((a, b) => a.partition - b.partition)
    .map((p) => {
      const leaderAlive = p.leader >= 0 && cache.isAlive(p.leader);
      return {
        errorCode: leaderAlive ? NONE : code('LEADER_NOT_AVAILABLE'),
        partitionIndex: p.partition,
        leaderId: leaderAlive ? p.leader : -1,
        leaderEpoch: p.leaderEpoch,
        replicaNodes: p.replicas,
        isrNodes: p.isr,
        offlineReplicas: p.offlineReplicas,
      };
    });
  return {
    errorCode: NONE,
    name,
    topicId: wireTopicId(t.topicId),
    isInternal: INTERNAL_TOPICS.has(name),
    partitions,
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export function metadataHandler(services: BrokerServices): RequestHandler<MetadataRequest> {
  return {
    apiKey: 3,
    minVersion: 0,
    maxVersion: 12,
    async handle(ctx: RequestContext, req: MetadataRequest) {
      const version = ctx.header.apiVersion;
      const cache = services.metadataCache;
      const allTopics = req.topics === null || (version === 0 && req.topics.length === 0);
      const names = allTopics ? cache.topicNames() : (req.topics ?? []).map((t) => t.name ?? '');
      const allowAuto = version < 4 ? true : req.allowAutoTopicCreation !== false;
      const autoCreate = services.config.get('auto.create.topics.enable') && allowAuto;
      const topics = [];
      for (const name of names) {
        const described = describeTopic(services, name);
        if (described !== null) {
          topics.push(described);
          continue;
        }
        let errorCode = code('UNKNOWN_TOPIC_OR_PARTITION');
        if (!isValidTopicName(name)) errorCode = code('INVALID_TOPIC_EXCEPTION');
        else if (autoCreate && !allTopics) {
          try {
            // The offsets topic is created with its own settings (Kafka's getOrCreateInternalTopic).
            if (name === OFFSETS_TOPIC && (await services.offsetsTopic.create()) !== null) errorCode = code('COORDINATOR_NOT_AVAILABLE');
            else {
              if (name !== OFFSETS_TOPIC) await services.admin.autoCreateTopic(name);
              errorCode = code('LEADER_NOT_AVAILABLE');
            }
          } catch (err) {
            ctx.logger.warn('auto-creation of a topic failed', { topic: name, err: String(err) });
            errorCode = code('LEADER_NOT_AVAILABLE');
          }
        }
        topics.push({ errorCode, name, topicId: wireTopicId(''), isInternal: false, partitions: [], topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED });
      }
      return {
        throttleTimeMs: 0,
        brokers: brokersFor(services, ctx.listenerName),
        clusterId: services.clusterId,
        controllerId: cache.controllerId,
        topics,
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  };
}
