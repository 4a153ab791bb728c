import { encodeJson, isObject, JsonFields, jsonFields } from './json.js';

// Admin and notification znodes:
// /admin/delete_topics/<t>: no data.
// /admin/preferred_replica_election and /isr_change_notification/isr_change_<seq>:
//   {"version":1,"partitions":[{"topic":"foo","partition":0}]}
// /admin/reassign_partitions: {"version":1,"partitions":[{"topic":"foo","partition":0,"replicas":[4,5,6]}]}
// /log_dir_event_notification/log_dir_event_<seq>: {"version":1,"broker":3,"event":1}
// /latest_producer_id_block: {"version":1,"broker":2,"block_start":"3000","block_end":"3999"}
// /feature: {"version":1,"status":1,"features":{}}

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}
export interface PartitionReassignment extends TopicPartitionRef {
  readonly replicas: readonly number[];
}

/** The delete_topics marker carries no data. */
export const DELETE_TOPIC_MARKER_DATA = null;

function partitionEntries(f: JsonFields, what: string): JsonFields[] {
  return f.array('partitions').map((entry, index) => {
    if (!isObject(entry)) throw f.error(`partitions[${index}]`, 'an object', entry);
    return new JsonFields(entry, `${what} partitions[${index}]`);
  });
}

function encodePartitionList(partitions: readonly TopicPartitionRef[]): Buffer {
  return encodeJson({ version: 1, partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition })) });
}

function decodePartitionList(data: Buffer | null, what: string): TopicPartitionRef[] {
  const f = jsonFields(data, what);
  f.version([1]);
  return partitionEntries(f, what).map((entry) => ({ topic: entry.string('topic'), partition: entry.int('partition') }));
}

export const encodePreferredReplicaElection = encodePartitionList;
export function decodePreferredReplicaElection(data: Buffer | null): TopicPartitionRef[] {
  return decodePartitionList(data, '/admin/preferred_replica_election');
}

export const encodeIsrChangeNotification = encodePartitionList;
export function decodeIsrChangeNotification(data: Buffer | null): TopicPartitionRef[] {
  return decodePartitionList(data, '/isr_change_notification/isr_change_<seq>');
}

export function encodeReassignPartitions(partitions: readonly PartitionReassignment[]): Buffer {
  return encodeJson({
    version: 1,
    partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition, replicas: p.replicas })),
  });
}
export function decodeReassignPartitions(data: Buffer | null): PartitionReassignment[] {
  const f = jsonFields(data, '/admin/reassign_partitions');
  f.version([1]);
  return partitionEntries(f, '/admin/reassign_partitions').map((entry) => ({
    topic: entry.string('topic'),
    partition: entry.int('partition'),
    replicas: entry.intArray('replicas'),
  }));
}

/** 1 = log directory failure. */
export const LogDirEventType = { LOG_DIR_FAILURE: 1 } as const;
export function encodeLogDirEvent(brokerId: number, event: number = LogDirEventType.LOG_DIR_FAILURE): Buffer {
  return encodeJson({ version: 1, broker: brokerId, event });
}
export function decodeLogDirEvent(data: Buffer | null): { brokerId: number; event: number } {
  const f = jsonFields(data, '/log_dir_event_notification/log_dir_event_<seq>');
  f.version([1]);
  return { brokerId: f.int('broker'), event: f.int('event') };
}

/** A block of producer ids [blockStart, blockEnd] assigned to `brokerId`. */
export interface ProducerIdBlock {
  readonly brokerId: number;
  readonly blockStart: number;
  readonly blockEnd: number;
}
export function encodeProducerIdBlock(b: ProducerIdBlock): Buffer {
  return encodeJson({ version: 1, broker: b.brokerId, block_start: String(b.blockStart), block_end: String(b.blockEnd) });
}
export function decodeProducerIdBlock(data: Buffer | null): ProducerIdBlock {
  const f = jsonFields(data, '/latest_producer_id_block');
  f.version([1]);
  return { brokerId: f.int('broker'), blockStart: f.intString('block_start'), blockEnd: f.intString('block_end') };
}

/** /feature status: 1 = enabled (IBP >= 2.7-IV0), 0 = disabled. ZK-mode brokers finalize no features. */
export const FeatureZNodeStatus = { DISABLED: 0, ENABLED: 1 } as const;
export function encodeFeatureZNode(status: number = FeatureZNodeStatus.ENABLED): Buffer {
  return encodeJson({ version: 1, status, features: {} });
}
export function decodeFeatureZNode(data: Buffer | null): { version: number; status: number } {
  const f = jsonFields(data, '/feature');
  return { version: f.version([1, 2]), status: f.int('status') };
}
