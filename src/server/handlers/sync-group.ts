import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';

interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  protocolType?: string | null;
  protocolName?: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}

/** SyncGroup v0-5: the leader hands out assignments; every member waits for its own. */
export function syncGroupHandler(services: BrokerServices): RequestHandler<SyncGroupRequest> {
  return {
    apiKey: 14,
    minVersion: 0,
    maxVersion: 5,
    async handle(ctx: RequestContext, req: SyncGroupRequest) {
      // v5 makes protocol type and name mandatory (Kafka's areMandatoryProtocolTypeAndNamePresent).
      if (ctx.header.apiVersion >= 5 && (req.protocolType == null || req.protocolName == null)) {
        return { throttleTimeMs: 0, errorCode: code('INCONSISTENT_GROUP_PROTOCOL'), protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
      }
      const r = await services.groupCoordinator.syncGroup({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
        protocolType: req.protocolType ?? null,
        protocolName: req.protocolName ?? null,
        assignments: req.assignments,
      });
      return { throttleTimeMs: 0, errorCode: code(r.error), protocolType: r.protocolType, protocolName: r.protocolName, assignment: r.assignment };
    },
  };
}
