// Metadata Request (Version: 7) => [topics] allow_auto_topic_creation
//   topics => name
// Metadata Response (Version: 7) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   brokers => node_id host port rack
//   topics => error_code name is_internal [partitions]
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
export { request } from './v4.js';
import { array, bool, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const response = message(false, {
  throttleTimeMs: int32,
  brokers: array(struct({
    nodeId: int32,
    host: string,
    port: int32,
    rack: nullableString,
  })),
  clusterId: nullableString,
  controllerId: withDefault(int32, -1),
  topics: array(struct({
    errorCode: int16,
    name: string,
    isInternal: withDefault(bool, false),
    partitions: array(struct({
      errorCode: int16,
      partitionIndex: int32,
      leaderId: int32,
      leaderEpoch: withDefault(int32, -1),
      replicaNodes: array(int32),
      isrNodes: array(int32),
      offlineReplicas: array(int32),
    })),
  })),
});
