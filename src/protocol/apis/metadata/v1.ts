// Metadata Request (Version: 1) => [topics]
//   topics => name
// Metadata Response (Version: 1) => [brokers] controller_id [topics]
//   brokers => node_id host port rack
//   topics => error_code name is_internal [partitions]
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
import { array, bool, int16, int32, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  topics: nullableArray(struct({
    name: string,
  })),
});
export const response = message(false, {
  brokers: array(struct({
    nodeId: int32,
    host: string,
    port: int32,
    rack: nullableString,
  })),
  controllerId: withDefault(int32, -1),
  topics: array(struct({
    errorCode: int16,
    name: string,
    isInternal: withDefault(bool, false),
    partitions: array(struct({
      errorCode: int16,
      partitionIndex: int32,
      leaderId: int32,
      replicaNodes: array(int32),
      isrNodes: array(int32),
    })),
  })),
});
