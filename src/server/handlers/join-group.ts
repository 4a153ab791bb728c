import type { BrokerServices } from '../broker-services.js';
import type { RequestHandler } from '../handler.js';
import type { RequestContext } from '../request-context.js';
import { clientHostOf } from './client-host.js';
import { code } from './errors.js';

interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs?: number;
  memberId: string;
  groupInstanceId?: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  reason?: string | null;
}

/** JoinGroup v0-9 (v0 has no rebalance timeout: the session timeout stands in, as in Kafka). */
export function joinGroupHandler(services: BrokerServices): RequestHandler<JoinGroupRequest> {
  return {
    apiKey: 11,
    minVersion: 0,
    maxVersion: 9,
    async handle(ctx: RequestContext, req: JoinGroupRequest) {
      const version = ctx.header.apiVersion;
      const r = await services.groupCoordinator.joinGroup({
        groupId: req.groupId,
        memberId: req.memberId,
        groupInstanceId: req.groupInstanceId ?? null,
        requireKnownMemberId: version >= 4,
        supportsSkipAssignment: version >= 9,
        clientId: ctx.header.clientId ?? '',
        clientHost: clientHostOf(ctx.clientAddress),
        // v0 has no rebalance timeout: the session timeout stands in.
        rebalanceTimeoutMs: req.rebalanceTimeoutMs ?? req.sessionTimeoutMs,
        sessionTimeoutMs: req.sessionTimeoutMs,
        protocolType: req.protocolType,
        protocols: req.protocols,
        reason: req.reason ?? null,
      });
      return {
        throttleTimeMs: 0,
        errorCode: code(r.error),
        generationId: r.generationId,
        protocolType: r.protocolType,
        // Before v7 the protocol name is a non-nullable string.
        protocolName: version < 7 ? r.protocolName ?? '' : r.protocolName,
        leader: r.leader,
        skipAssignment: r.skipAssignment,
        memberId: r.memberId,
        members: r.members,
      };
    },
  };
}
