// DescribeCluster Request (Version: 1) => include_cluster_authorized_operations endpoint_type TAG_BUFFER
// DescribeCluster Response (Version: 1) => throttle_time_ms error_code error_message endpoint_type cluster_id controller_id [brokers] cluster_authorized_operations TAG_BUFFER
//   brokers => broker_id host port rack TAG_BUFFER
import { array, bool, int16, int32, int8, message, nullableString, string, struct, withDefault } from '../../schema.js';

export const request = message(true, {
  includeClusterAuthorizedOperations: bool,
  endpointType: withDefault(int8, 1),
});
export const response = message(true, {
  throttleTimeMs: int32,
  errorCode: int16,
  errorMessage: nullableString,
  endpointType: withDefault(int8, 1),
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
