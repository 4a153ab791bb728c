import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';
import { AUTHORIZED_OPERATIONS_OMITTED } from './metadata.js';

interface DescribeGroupsRequest {
  groups: string[];
  includeAuthorizedOperations?: boolean;
}

/** DescribeGroups v0-5: state, protocol and members of each group. */
export function describeGroupsHandler(services: BrokerServices): RequestHandler<DescribeGroupsRequest> {
  return {
    apiKey: 15,
    minVersion: 0,
    maxVersion: 5,
    async handle(_ctx: RequestContext, req: DescribeGroupsRequest) {
      const described = await services.groupCoordinator.describeGroups(req.groups);
      return {
        throttleTimeMs: 0,
        groups: described.map((g) => ({
          errorCode: code(g.error),
          groupId: g.groupId,
          groupState: g.state,
          protocolType: g.protocolType,
          protocolData: g.protocolData,
          members: g.members,
          authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
        })),
      };
    },
  };
}
