/** Kafka's TopicPartition string and partition directory name: `<topic>-<partition>`. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Inverse of topicPartitionKey; topics may contain '-', so the split is at the last one. Null when malformed. */
export function parseTopicPartitionKey(key: string): { topic: string; partition: number } | null {
  const dash = key.lastIndexOf('-');
  if (dash <= 0) return null;
  const digits = key.slice(dash + 1);
  if (!/^\d+$/.test(digits)) return null;
  const partition = Number(digits);
  if (!Number.isSafeInteger(partition) || partition > 0x7fffffff) return null;
  return { topic: key.slice(0, dash), partition };
}
