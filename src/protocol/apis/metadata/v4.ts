// Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
//   topics => name
// Metadata Response (Version: 4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   brokers => node_id host port rack
//   topics => error_code name is_internal [partitions]
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
export { response } from './v3.js';
import { bool, message, nullableArray, string, struct, withDefault } from '../../schema.js';

export const request = message(false, {
  topics: nullableArray(struct({
    name: string,
  })),
  allowAutoTopicCreation: withDefault(bool, true),
});
