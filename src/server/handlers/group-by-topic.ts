/** Per-partition results regrouped by topic, in first-seen order, as responses list them. */
export function groupByTopic<T extends { topic: string }, U>(items: readonly T[], map: (item: T) => U): { name: string; partitions: U[] }[] {
  const byTopic = new Map<string, U[]>();
  for (const item of items) {
    let list = byTopic.get(item.topic);
    if (list === undefined) byTopic.set(item.topic, (list = []));
    list.push(map(item));
  }
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}
