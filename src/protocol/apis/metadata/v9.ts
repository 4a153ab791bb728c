// Metadata Request (Version: 9) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations TAG_BUFFER
//   topics => name TAG_BUFFER
// Metadata Response (Version: 9) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations TAG_BUFFER
//   brokers => node_id host port rack TAG_BUFFER
//   topics => error_code name is_internal [partitions] topic_authorized_operations TAG_BUFFER
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] TAG_BUFFER
import { array, bool, int16, int32, message, nullableArray, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  topics: nullableArray(struct({
    name: string,
  })),
  allowAutoTopicCreation: withDefault(bool, true),
  includeClusterAuthorizedOperations: bool,
  includeTopicAuthorizedOperations: bool,
});
export const response = message(true, {
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
    topicAuthorizedOperations: withDefault(int32, -2147483648),
  })),
  clusterAuthorizedOperations: withDefault(int32, -2147483648),
});
