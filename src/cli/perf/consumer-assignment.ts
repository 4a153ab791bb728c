/**
 * Which partitions the consumer perf tool reads, and from where. Today it reads every partition from offset 0
 * (an offset below the log start is moved up with ListOffsets). A `--group` option will add an assignment that
 * joins the group through its coordinator and starts at the committed offsets; it plugs in here.
 */
import type { PerfCluster } from './perf-cluster.js';

export interface ConsumerAssignment {
  /** Partition -> first offset to fetch, for the topic whose leaders `cluster` knows. */
  assign(cluster: PerfCluster): Promise<ReadonlyMap<number, number>>;
}

export const allPartitionsFromStart: ConsumerAssignment = {
  assign: async (cluster) => await Promise.resolve(new Map(cluster.partitions.map((p) => [p, 0]))),
};
