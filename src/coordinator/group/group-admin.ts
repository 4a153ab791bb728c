import type { ErrorName } from '../../protocol/error-codes.js';
import { GROUP_STATE, type DescribedGroup, type ListedGroup } from './group-api.js';
import type { GroupMetadata } from './group-metadata.js';
import type { GroupStore } from './group-store.js';

const { Empty, Stable, Dead } = GROUP_STATE;

/** DescribeGroups' answer for one group: member metadata and assignments only when Stable. */
export function describeGroup(groupId: string, group: GroupMetadata | undefined): DescribedGroup {
  if (group === undefined) {
    return { error: 'NONE', groupId, state: Dead, protocolType: '', protocolData: '', members: [] };
  }
  const stable = group.is(Stable);
  const protocol = stable ? (group.protocolName ?? '') : '';
  return {
    error: 'NONE',
    groupId,
    state: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: protocol,
    members: group.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadata(protocol) : Buffer.alloc(0),
      memberAssignment: stable ? m.assignment : Buffer.alloc(0),
    })),
  };
}

export function describeError(groupId: string, error: ErrorName): DescribedGroup {
  return { error, groupId, state: '', protocolType: '', protocolData: '', members: [] };
}

/** ListGroups: the cached groups, filtered by state name (case-insensitive; an empty filter keeps all). */
export function listGroups(store: GroupStore, statesFilter: readonly string[]): ListedGroup[] {
  const states = new Set(statesFilter.map((s) => s.toLowerCase()));
  return store
    .currentGroups()
    .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
    .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', state: g.state }));
}

/**
 * DeleteGroups for groups that passed the coordinator-level checks: only Empty groups are deleted (Dead, their
 * offsets and group record tombstoned); others get NON_EMPTY_GROUP, unknown ones GROUP_ID_NOT_FOUND.
 */
export async function deleteGroups(store: GroupStore, groupIds: readonly string[]): Promise<Map<string, ErrorName>> {
  const errors = new Map<string, ErrorName>();
  const eligible: GroupMetadata[] = [];
  for (const groupId of groupIds) {
    const group = store.getGroup(groupId);
    if (group === undefined || group.is(Dead)) {
      errors.set(groupId, store.groupNotExists(groupId) ? 'GROUP_ID_NOT_FOUND' : 'NOT_COORDINATOR');
    } else if (group.is(Empty)) {
      group.transitionTo(Dead);
      eligible.push(group);
    } else {
      errors.set(groupId, 'NON_EMPTY_GROUP');
    }
  }
  if (eligible.length > 0) {
    await store.cleanupGroupMetadata(eligible, (g) => g.offsets.removeAll());
    for (const g of eligible) errors.set(g.groupId, 'NONE');
  }
  return errors;
}
