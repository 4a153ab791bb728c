// OffsetFetch Request (Version: 8) => [groups] require_stable TAG_BUFFER
//   groups => group_id [topics] TAG_BUFFER
//     topics => name [partition_indexes] TAG_BUFFER
// OffsetFetch Response (Version: 8) => throttle_time_ms [groups] TAG_BUFFER
//   groups => group_id [topics] error_code TAG_BUFFER
//     topics => name [partitions] TAG_BUFFER
//       partitions => partition_index committed_offset committed_leader_epoch metadata error_code TAG_BUFFER
import { array, bool, int16, int32, int64, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  groups: array(struct({
    groupId: string,
    topics: nullableArray(struct({
      name: string,
      partitionIndexes: array(int32),
    })),
  })),
  requireStable: withDefault(bool, false),
});
export const response = message(true, {
  throttleTimeMs: int32,
  groups: array(struct({
    groupId: string,
    topics: array(struct({
      name: string,
      partitions: array(struct({
        partitionIndex: int32,
        committedOffset: int64,
        committedLeaderEpoch: withDefault(int32, -1),
        metadata: nullableString,
        errorCode: int16,
      })),
    })),
    errorCode: withDefault(int16, 0),
  })),
});
