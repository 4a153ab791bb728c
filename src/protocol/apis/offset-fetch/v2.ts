// OffsetFetch Request (Version: 2) => group_id [topics]
//   topics => name [partition_indexes]
// OffsetFetch Response (Version: 2) => [topics] error_code
//   topics => name [partitions]
//     partitions => partition_index committed_offset metadata error_code
import { array, int16, int32, int64, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  groupId: string,
  topics: nullableArray(struct({
    name: string,
    partitionIndexes: array(int32),
  })),
});
export const response = message(false, {
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      committedOffset: int64,
      metadata: nullableString,
      errorCode: int16,
    })),
  })),
  errorCode: withDefault(int16, 0),
});
