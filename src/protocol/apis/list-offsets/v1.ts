// ListOffsets Request (Version: 1) => replica_id [topics]
//   topics => name [partitions]
//     partitions => partition_index timestamp
// ListOffsets Response (Version: 1) => [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code timestamp offset
import { array, int16, int32, int64, message, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  replicaId: int32,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      timestamp: int64,
    })),
  })),
});
export const response = message(false, {
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      errorCode: int16,
      timestamp: withDefault(int64, -1n),
      offset: withDefault(int64, -1n),
    })),
  })),
});
