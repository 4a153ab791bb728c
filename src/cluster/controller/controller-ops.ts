import type { Logger } from '../../util/logger.js';
import type { StopReplicaPartition } from '../controller-requests.js';
import type { ControllerContext, PartitionEntry } from './controller-context.js';
import type { ControllerFence, ControllerZk } from './controller-zk.js';
import type { LeaderAndIsr } from './leader-election.js';

/** A leadership decision function: given the current state, the new one, or null for "no change". */
export type Decide = (e: PartitionEntry, current: LeaderAndIsr) => LeaderAndIsr | null;

/**
 * What the controller lends to the feature modules that run on its event queue (reassignment, preferred
 * election, auto rebalance): its context, its ZooKeeper port and its ways of changing and announcing state.
 */
export interface ControllerOps {
  readonly ctx: ControllerContext;
  readonly zk: ControllerZk;
  readonly logger: Logger;
  isActive(): boolean;
  /** The fence of the active controller; throws when not active. */
  fence(): ControllerFence;
  /** Queues an event on the controller's queue. */
  enqueue(name: string, fn: () => Promise<void>): void;
  /** A ZooKeeper watch callback that queues `fn` while this broker is the active controller. */
  watch(name: string, fn: () => Promise<void>): () => void;
  /**
   * Conditional state writes, then LeaderAndIsr to live replicas (except `notTo`) and UpdateMetadata to all;
   * returns the partitions that changed.
   */
  changeLeadership(entries: PartitionEntry[], decide: Decide, notTo?: number): Promise<PartitionEntry[]>;
  sendLeaderAndIsr(entries: PartitionEntry[], isNew: boolean, only?: number[]): void;
  /** `leaderOverride`: -2 tells brokers the partitions' topic is being deleted. */
  sendUpdateMetadata(brokerIds: number[], entries: PartitionEntry[], leaderOverride?: number): void;
  sendStopReplica(brokerId: number, partitions: StopReplicaPartition[], onResponse?: (errorCode: number) => void): void;
  liveIds(): number[];
}
