import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { NONE } from './errors.js';
import { AUTHORIZED_OPERATIONS_OMITTED, brokersFor } from './metadata.js';

/** DescribeCluster v0-1 from the metadata cache. */
export function describeClusterHandler(services: BrokerServices): RequestHandler<{ endpointType?: number }> {
  return {
    apiKey: 60,
    minVersion: 0,
    maxVersion: 1,
    handle(ctx: RequestContext, req: { endpointType?: number }) {
      return {
        throttleTimeMs: 0,
        errorCode: NONE,
        errorMessage: null,
        endpointType: req.endpointType ?? 1,
        clusterId: services.clusterId,
        controllerId: services.metadataCache.controllerId,
        brokers: brokersFor(services, ctx.listenerName).map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    },
  };
}
