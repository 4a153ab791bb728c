import { encodeJson, jsonFields, partitionMapToJson, ZkDataFormatError } from './json.js';

// /brokers/topics/<t>: {"version":3,"partitions":{"0":[1,2,3]},"adding_replicas":{},"removing_replicas":{},
// "topic_id":"Q2Hc6eR3QsqVDkz0LpLqAQ"}. v1 has only partitions, v2 adds adding/removing, v3 topic_id.

export interface TopicAssignment {
  /** partition -> replicas; the first replica is the preferred leader. */
  readonly partitions: ReadonlyMap<number, readonly number[]>;
  /** Only partitions being reassigned appear here. */
  readonly addingReplicas: ReadonlyMap<number, readonly number[]>;
  readonly removingReplicas: ReadonlyMap<number, readonly number[]>;
  /** Kafka Base64 UUID, or null when the topic was created by an older writer. */
  readonly topicId: string | null;
}

export interface DecodedTopicAssignment extends TopicAssignment {
  /** The JSON format version the writer used (1-3). */
  readonly version: number;
}

/** Always writes version 3; topic_id only when known. */
export function encodeTopicAssignment(a: TopicAssignment): Buffer {
  const json: Record<string, unknown> = {
    version: 3,
    partitions: partitionMapToJson(a.partitions),
    adding_replicas: partitionMapToJson(a.addingReplicas),
    removing_replicas: partitionMapToJson(a.removingReplicas),
  };
  if (a.topicId !== null) json['topic_id'] = a.topicId;
  return encodeJson(json);
}

export function decodeTopicAssignment(data: Buffer | null): DecodedTopicAssignment {
  const what = '/brokers/topics/<t>';
  const f = jsonFields(data, what);
  const version = f.version([1, 2, 3]);
  const partitions = f.partitionMap('partitions');
  const addingReplicas = f.has('adding_replicas') ? f.partitionMap('adding_replicas') : new Map<number, number[]>();
  const removingReplicas = f.has('removing_replicas') ? f.partitionMap('removing_replicas') : new Map<number, number[]>();
  const topicId = f.has('topic_id') ? f.string('topic_id') : null;
  if (topicId !== null && !/^[A-Za-z0-9_-]{22}$/.test(topicId)) {
    throw new ZkDataFormatError(what, `topic_id ${JSON.stringify(topicId)} is not a Base64 UUID`);
  }
  return { version, partitions, addingReplicas, removingReplicas, topicId };
}
