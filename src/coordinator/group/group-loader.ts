import type { Clock } from '../../util/clock.js';
import type { CoordinatorRecord, StoredGroup } from '../records/coordinator-record.js';
import { GROUP_STATE } from './group-api.js';
import { GroupMetadata } from './group-metadata.js';
import type { OffsetEntry } from './group-offsets.js';

/**
 * Replays one `__consumer_offsets` partition in order (last write wins, tombstones delete) and rebuilds its groups:
 * a stored group record gives an Empty or Stable group, offsets without a group record give an Empty group of
 * generation 0. Returns null as soon as `stillWanted()` turns false (a resignation or newer election arrived).
 */
export async function replayOffsetsPartition(
  records: AsyncIterable<CoordinatorRecord>,
  clock: Clock,
  stillWanted: () => boolean,
): Promise<GroupMetadata[] | null> {
  const storedGroups = new Map<string, StoredGroup>();
  const offsets = new Map<string, Map<string, OffsetEntry>>();
  for await (const record of records) {
    if (!stillWanted()) return null;
    if (record.type === 'group') {
      if (record.value === null) storedGroups.delete(record.groupId);
      else storedGroups.set(record.groupId, record.value);
      continue;
    }
    const key = `${record.topic}\u0000${record.partition}`;
    let groupOffsets = offsets.get(record.groupId);
    if (record.value === null) {
      groupOffsets?.delete(key);
      continue;
    }
    if (groupOffsets === undefined) {
      groupOffsets = new Map();
      offsets.set(record.groupId, groupOffsets);
    }
    groupOffsets.set(key, { tp: { topic: record.topic, partition: record.partition }, value: record.value });
  }
  if (!stillWanted()) return null;

  const groups: GroupMetadata[] = [];
  for (const [groupId, stored] of storedGroups) {
    const group = GroupMetadata.fromStored(groupId, stored, clock);
    group.offsets.initialize(offsets.get(groupId)?.values() ?? []);
    groups.push(group);
  }
  for (const [groupId, groupOffsets] of offsets) {
    if (storedGroups.has(groupId) || groupOffsets.size === 0) continue;
    const group = new GroupMetadata(groupId, GROUP_STATE.Empty, clock);
    group.offsets.initialize(groupOffsets.values());
    groups.push(group);
  }
  return groups;
}
