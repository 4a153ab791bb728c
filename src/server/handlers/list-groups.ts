import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';

interface ListGroupsRequest {
  statesFilter?: string[];
}

/** ListGroups v0-4: the groups this broker coordinates (v4 filters by state and reports it). */
export function listGroupsHandler(services: BrokerServices): RequestHandler<ListGroupsRequest> {
  return {
    apiKey: 16,
    minVersion: 0,
    maxVersion: 4,
    handle(_ctx: RequestContext, req: ListGroupsRequest) {
      const r = services.groupCoordinator.listGroups(req.statesFilter ?? []);
      return {
        throttleTimeMs: 0,
        errorCode: code(r.error),
        groups: r.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state })),
      };
    },
  };
}
