import type { TopicAssignment } from './controller/controller-zk.js';

/** What topic administration (CreateTopics, DeleteTopics, CreatePartitions, configs) needs from ZooKeeper. */
export interface AdminZk {
  topicAssignment(topic: string): Promise<TopicAssignment | null>;
  isMarkedForDeletion(topic: string): Promise<boolean>;
  /** Writes /config/topics/<t> then /brokers/topics/<t>; throws TopicExistsError when the topic exists. */
  createTopic(topic: string, partitions: Map<number, number[]>, configs: Record<string, string>, topicId: string): Promise<void>;
  setTopicPartitions(topic: string, partitions: Map<number, number[]>, topicId: string | null): Promise<void>;
  markForDeletion(topic: string): Promise<void>;
  topicConfig(topic: string): Promise<Record<string, string>>;
  /** Replaces /config/topics/<t> and writes a /config/changes notification. */
  setTopicConfig(topic: string, config: Record<string, string>): Promise<void>;
  newTopicId(): string;
}
