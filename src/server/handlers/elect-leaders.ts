import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE } from './errors.js';
import { groupByTopic } from './group-by-topic.js';

interface ElectLeadersRequest {
  electionType?: number;
  topicPartitions: { topic: string; partitions: number[] }[] | null;
  timeoutMs: number;
}

/** ElectLeaders v0-2 on the controller: preferred (type 0) or unclean (type 1) leader election. */
export function electLeadersHandler(services: BrokerServices): RequestHandler<ElectLeadersRequest> {
  return {
    apiKey: 43,
    minVersion: 0,
    maxVersion: 2,
    async handle(_ctx: RequestContext, req: ElectLeadersRequest) {
      const wanted = req.topicPartitions?.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
      if (!services.controller.isActive) {
        return { throttleTimeMs: 0, errorCode: code('NOT_CONTROLLER'), replicaElectionResults: [] };
      }
      const electionType = req.electionType ?? 0;
      if (electionType !== 0 && electionType !== 1) {
        const results = (req.topicPartitions ?? []).map((t) => ({
          topic: t.topic,
          partitionResult: t.partitions.map((partitionId) => ({ partitionId, errorCode: code('INVALID_REQUEST'), errorMessage: `Unknown election type ${electionType}` })),
        }));
        return { throttleTimeMs: 0, errorCode: NONE, replicaElectionResults: results };
      }
      const outcome = electionType === 0 ? await services.controller.electPreferredLeaders(wanted) : await services.controller.electUncleanLeaders(wanted);
      const byTopic = groupByTopic(outcome, (o) => ({ partitionId: o.partition, errorCode: o.error === null ? NONE : code(o.error), errorMessage: o.error }));
      return {
        throttleTimeMs: 0,
        errorCode: NONE,
        replicaElectionResults: byTopic.map((t) => ({ topic: t.name, partitionResult: t.partitions })),
      };
    },
  };
}
