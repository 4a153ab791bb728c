import type { AlterPartitionReassignmentsRequest, ListPartitionReassignmentsRequest } from '../../protocol/apis/index.js';
import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code, NONE } from './errors.js';
import { groupByTopic } from './group-by-topic.js';

const NOT_CONTROLLER_MESSAGE = 'This is not the correct controller for this cluster.';

/** AlterPartitionReassignments v0, served by the active controller (others answer NOT_CONTROLLER). */
export function alterPartitionReassignmentsHandler(services: BrokerServices): RequestHandler<AlterPartitionReassignmentsRequest> {
  return {
    apiKey: 45,
    minVersion: 0,
    maxVersion: 0,
    async handle(_ctx: RequestContext, req: AlterPartitionReassignmentsRequest) {
      const requests = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas === null ? null : [...p.replicas] })));
      const results = await services.controller.alterPartitionReassignments(requests);
      if (results === null) return { throttleTimeMs: 0, errorCode: code('NOT_CONTROLLER'), errorMessage: NOT_CONTROLLER_MESSAGE, responses: [] };
      return {
        throttleTimeMs: 0,
        errorCode: NONE,
        errorMessage: null,
        responses: groupByTopic(results, (r) => ({ partitionIndex: r.partition, errorCode: r.error === null ? NONE : code(r.error), errorMessage: r.message })),
      };
    },
  };
}

/** ListPartitionReassignments v0, served by the active controller (others answer NOT_CONTROLLER). */
export function listPartitionReassignmentsHandler(services: BrokerServices): RequestHandler<ListPartitionReassignmentsRequest> {
  return {
    apiKey: 46,
    minVersion: 0,
    maxVersion: 0,
    async handle(_ctx: RequestContext, req: ListPartitionReassignmentsRequest) {
      const filter = req.topics === null ? null : req.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
      const ongoing = await services.controller.listPartitionReassignments(filter);
      if (ongoing === null) return { throttleTimeMs: 0, errorCode: code('NOT_CONTROLLER'), errorMessage: NOT_CONTROLLER_MESSAGE, topics: [] };
      return {
        throttleTimeMs: 0,
        errorCode: NONE,
        errorMessage: null,
        topics: groupByTopic(ongoing, (o) => ({ partitionIndex: o.partition, replicas: o.replicas, addingReplicas: o.addingReplicas, removingReplicas: o.removingReplicas })),
      };
    },
  };
}
