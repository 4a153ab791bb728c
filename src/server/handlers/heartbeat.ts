import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';

interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
}

/** Heartbeat v0-4: keeps a member's session alive and tells it when to rejoin. */
export function heartbeatHandler(services: BrokerServices): RequestHandler<HeartbeatRequest> {
  return {
    apiKey: 12,
    minVersion: 0,
    maxVersion: 4,
    async handle(_ctx: RequestContext, req: HeartbeatRequest) {
      const error = await services.groupCoordinator.heartbeat({
        groupId: req.groupId,
        generationId: req.generationId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
      });
      return { throttleTimeMs: 0, errorCode: code(error) };
    },
  };
}
