import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';

interface DeleteGroupsRequest {
  groupsNames: string[];
}

/** DeleteGroups v0-2: removes empty groups and their offsets. */
export function deleteGroupsHandler(services: BrokerServices): RequestHandler<DeleteGroupsRequest> {
  return {
    apiKey: 42,
    minVersion: 0,
    maxVersion: 2,
    async handle(_ctx: RequestContext, req: DeleteGroupsRequest) {
      const results = await services.groupCoordinator.deleteGroups(req.groupsNames);
      return { throttleTimeMs: 0, results: results.map((r) => ({ groupId: r.groupId, errorCode: code(r.error) })) };
    },
  };
}
