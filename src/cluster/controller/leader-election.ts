/**
 * Kafka's leader election rules (kafka/controller/Election.scala), as pure functions.
 * Replica lists are in assignment order; the first replica is the preferred leader.
 */

export interface LeaderAndIsr {
  leader: number;
  leaderEpoch: number;
  isr: number[];
}

/** A partition with no state yet: leader = first live replica, ISR = all live replicas, epoch 0. */
export function electForNewPartition(replicas: readonly number[], isAlive: (id: number) => boolean): LeaderAndIsr | null {
  const live = replicas.filter(isAlive);
  const leader = live[0];
  if (leader === undefined) return null;
  return { leader, leaderEpoch: 0, isr: live };
}

/**
 * An offline partition: first replica in assignment order that is alive and in the ISR; the ISR loses dead members.
 * With `unclean`, a live replica outside the ISR may lead, with ISR = [leader].
 * Returns null when no replica can lead (the caller writes leader -1).
 */
export function electForOfflinePartition(
  replicas: readonly number[],
  current: LeaderAndIsr,
  isAlive: (id: number) => boolean,
  unclean: boolean,
): LeaderAndIsr | null {
  const liveIsr = current.isr.filter(isAlive);
  const leader = replicas.find((r) => isAlive(r) && liveIsr.includes(r));
  if (leader !== undefined) return { leader, leaderEpoch: current.leaderEpoch + 1, isr: liveIsr };
  if (!unclean) return null;
  const uncleanLeader = replicas.find(isAlive);
  if (uncleanLeader === undefined) return null;
  return { leader: uncleanLeader, leaderEpoch: current.leaderEpoch + 1, isr: [uncleanLeader] };
}

/** The preferred replica leads if it is alive and in the ISR; the ISR is unchanged. */
export function electPreferred(replicas: readonly number[], current: LeaderAndIsr, isAlive: (id: number) => boolean): LeaderAndIsr | null {
  const preferred = replicas[0];
  if (preferred === undefined || preferred === current.leader) return null;
  if (!isAlive(preferred) || !current.isr.includes(preferred)) return null;
  return { leader: preferred, leaderEpoch: current.leaderEpoch + 1, isr: [...current.isr] };
}

/** Controlled shutdown: a live ISR member that is not shutting down takes over; the ISR loses shutting-down brokers. */
export function electForControlledShutdown(
  replicas: readonly number[],
  current: LeaderAndIsr,
  isAlive: (id: number) => boolean,
  shuttingDown: ReadonlySet<number>,
): LeaderAndIsr | null {
  const isr = current.isr.filter((r) => !shuttingDown.has(r));
  const leader = replicas.find((r) => isAlive(r) && isr.includes(r) && !shuttingDown.has(r));
  if (leader === undefined) return null;
  return { leader, leaderEpoch: current.leaderEpoch + 1, isr };
}

/**
 * A replica on a dead (or stopping) broker leaves the ISR unless it is the last member; if it led, leader becomes -1.
 * Returns null when nothing changes.
 */
export function removeReplicaFromIsr(current: LeaderAndIsr, brokerId: number): LeaderAndIsr | null {
  if (!current.isr.includes(brokerId)) return null;
  const isr = current.isr.length > 1 ? current.isr.filter((r) => r !== brokerId) : current.isr;
  const leader = current.leader === brokerId ? -1 : current.leader;
  if (leader === current.leader && isr.length === current.isr.length) return null;
  return { leader, leaderEpoch: current.leaderEpoch + 1, isr: [...isr] };
}
