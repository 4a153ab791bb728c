// DescribeCluster Request (Version: 0) => include_cluster_authorized_operations TAG_BUFFER
// DescribeCluster Response (Version: 0) => throttle_time_ms error_code error_message cluster_id controller_id [brokers] cluster_authorized_operations TAG_BUFFER
//   brokers => broker_id host port rack TAG_BUFFER
import { array, bool, int16, int32, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  includeClusterAuthorizedOperations: bool,
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  clusterId: string,
  controllerId: withDefault(int32, -1),
  brokers: array(struct({
    brokerId: int32,
    host: string,
    port: int32,
    rack: nullableString,
  })),
  clusterAuthorizedOperations: withDefault(int32, -2147483648),
});
