/**
 * The follower's fetch from a leader over the peer channel (the inter-broker half of Kafka's Fetch API, v12
 * semantics: the follower reports its position with `fetchOffset` and `lastFetchedEpoch`, and the leader answers
 * with raw batches or a diverging epoch to truncate to).
 */
export const REPLICA_FETCH = 'replica-fetch';

export interface ReplicaFetchPartition {
  topic: string;
  partition: number;
  /** The leader epoch the follower knows from LeaderAndIsr. */
  currentLeaderEpoch: number;
  /** The follower's log end offset. */
  fetchOffset: number;
  /** Epoch of the follower's last batch (-1 when its log is empty). */
  lastFetchedEpoch: number;
  partitionMaxBytes: number;
}

export interface ReplicaFetchRequest {
  brokerEpoch: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: ReplicaFetchPartition[];
}

export interface ReplicaFetchPartitionResponse {
  topic: string;
  partition: number;
  errorCode: number;
  highWatermark: number;
  logStartOffset: number;
  logEndOffset: number;
  divergingEpoch: { epoch: number; endOffset: number } | null;
  /** Raw record batches as stored by the leader. */
  records: Uint8Array | null;
}

export interface ReplicaFetchResponse {
  errorCode: number;
  partitions: ReplicaFetchPartitionResponse[];
}
