import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { code } from './errors.js';

interface LeaveGroupRequest {
  groupId: string;
  memberId?: string;
  members?: { memberId: string; groupInstanceId: string | null; reason?: string | null }[];
}

/** LeaveGroup v0-5: one member before v3, a batch with per-member errors from v3. */
export function leaveGroupHandler(services: BrokerServices): RequestHandler<LeaveGroupRequest> {
  return {
    apiKey: 13,
    minVersion: 0,
    maxVersion: 5,
    async handle(ctx: RequestContext, req: LeaveGroupRequest) {
      const batched = ctx.header.apiVersion >= 3;
      const members = batched
        ? (req.members ?? []).map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, reason: m.reason ?? null }))
        : [{ memberId: req.memberId ?? '', groupInstanceId: null, reason: null }];
      const r = await services.groupCoordinator.leaveGroup({ groupId: req.groupId, members });
      if (!batched) {
        // One member: its own error is the answer unless the whole group failed.
        const single = r.error !== 'NONE' ? r.error : r.members[0]?.error ?? 'NONE';
        return { throttleTimeMs: 0, errorCode: code(single) };
      }
      return {
        throttleTimeMs: 0,
        errorCode: code(r.error),
        members: r.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: code(m.error) })),
      };
    },
  };
}
