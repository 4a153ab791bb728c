import { StreamkeeperError } from '../util/errors.js';

/** A failure of one partition's request; the handler maps `kafkaError` to the response's error code. */
export class PartitionError extends StreamkeeperError {}

export function notLeader(topic: string, partition: number): PartitionError {
  return new PartitionError('NOT_LEADER_OR_FOLLOWER', `this broker does not lead ${topic}-${partition}`);
}

export function unknownPartition(topic: string, partition: number): PartitionError {
  return new PartitionError('UNKNOWN_TOPIC_OR_PARTITION', `this broker does not host ${topic}-${partition}`);
}
