import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/logger.js';
import type { CoordinatorRecord, RawCoordinatorRecord, StoredGroup } from '../records/coordinator-record.js';
import { decodeCoordinatorRecord } from '../records/coordinator-record-codec.js';
import { CoordinatorRecordError } from '../records/coordinator-record-error.js';
import { GROUP_STATE } from './group-api.js';
import { GroupMetadata } from './group-metadata.js';
import { GroupOffsets } from './group-offsets.js';

export interface ReplayResult {
  groups: GroupMetadata[];
  /** Records that could not be decoded and were skipped. */
  corruptRecords: number;
  /** The first decoding failure, for the log line. */
  firstError: string | null;
}

/**
 * Replays one `__consumer_offsets` partition in order (last write wins, tombstones delete) and rebuilds its groups:
 * a stored group record gives an Empty or Stable group, offsets without a group record give an Empty group of
 * generation 0. A record with an unknown key version is skipped with a warning (Kafka 3.5+); one that fails to
 * decode is skipped and counted. Returns null as soon as `stillWanted()` turns false (a resignation or newer
 * election arrived). Rejects when `records` does.
 */
export async function replayOffsetsPartition(
  records: AsyncIterable<RawCoordinatorRecord>,
  opts: { clock: Clock; logger: Logger; partition: number; stillWanted: () => boolean },
): Promise<ReplayResult | null> {
  const storedGroups = new Map<string, StoredGroup>();
  const offsets = new Map<string, GroupOffsets>();
  let corruptRecords = 0;
  let firstError: string | null = null;
  for await (const raw of records) {
    if (!opts.stillWanted()) return null;
    let record: CoordinatorRecord | null;
    try {
      record = decodeCoordinatorRecord(raw.key, raw.value);
    } catch (error) {
      if (!(error instanceof CoordinatorRecordError)) throw error;
      corruptRecords++;
      firstError ??= error.message;
      continue;
    }
    if (record === null) {
      opts.logger.warn('unknown __consumer_offsets key version while loading; ignoring the record', {
        partition: opts.partition,
        keyVersion: raw.key.readInt16BE(0),
      });
    } else if (record.type === 'group') {
      if (record.value === null) storedGroups.delete(record.groupId);
      else storedGroups.set(record.groupId, record.value);
    } else {
      let groupOffsets = offsets.get(record.groupId);
      if (groupOffsets === undefined) {
        groupOffsets = new GroupOffsets();
        offsets.set(record.groupId, groupOffsets);
      }
      groupOffsets.replay({ topic: record.topic, partition: record.partition }, record.value);
    }
  }
  if (!opts.stillWanted()) return null;

  const groups: GroupMetadata[] = [];
  for (const [groupId, stored] of storedGroups) {
    groups.push(GroupMetadata.fromStored(groupId, stored, opts.clock, offsets.get(groupId) ?? new GroupOffsets()));
  }
  for (const [groupId, groupOffsets] of offsets) {
    if (storedGroups.has(groupId) || !groupOffsets.hasOffsets) continue;
    groups.push(new GroupMetadata(groupId, GROUP_STATE.Empty, opts.clock, groupOffsets));
  }
  return { groups, corruptRecords, firstError };
}
