// ListOffsets Request (Version: 2) => replica_id isolation_level [topics]
//   topics => name [partitions]
//     partitions => partition_index timestamp
// ListOffsets Response (Version: 2) => throttle_time_ms [topics]
//   topics => name [partitions]
//     partitions => partition_index error_code timestamp offset
import { array, int16, int32, int64, int8, message, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  replicaId: int32,
  isolationLevel: int8,
  topics: array(struct({
    name: string,
    partitions: array(struct({
      partitionIndex: int32,
      timestamp: int64,
    })),
  })),
});
export const response = message(false, {
  throttleTimeMs: int32,
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
