// Metadata Request (Version: 0) => [topics]
//   topics => name
// Metadata Response (Version: 0) => [brokers] [topics]
//   brokers => node_id host port
//   topics => error_code name [partitions]
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
import { array, int16, int32, message, string, struct } from '../../schema.js';

export const request = message(false, {
  topics: array(struct({
    name: string,
  })),
});
export const response = message(false, {
  brokers: array(struct({
    nodeId: int32,
    host: string,
    port: int32,
  })),
  topics: array(struct({
    errorCode: int16,
    name: string,
    partitions: array(struct({
      errorCode: int16,
      partitionIndex: int32,
      leaderId: int32,
      replicaNodes: array(int32),
      isrNodes: array(int32),
    })),
  })),
});
