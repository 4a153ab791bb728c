import { setTimeout as sleep } from 'node:timers/promises';

import { describeStates, readPartitionStates, type PartitionState } from './chaos-state.js';
import { controllerId } from './partition-state.js';
import type { TestCluster } from './cluster.js';

export const VictimRole = { LEADER: 'leader', CONTROLLER: 'controller', FOLLOWER: 'follower' } as const;
export type VictimRole = (typeof VictimRole)[keyof typeof VictimRole];

const ROLE_CYCLE: readonly VictimRole[] = [VictimRole.LEADER, VictimRole.CONTROLLER, VictimRole.FOLLOWER];

/** One kill and restart, with how long the cluster took to react. */
export interface KillRecord {
  readonly n: number;
  readonly victim: number;
  readonly role: VictimRole;
  readonly signal: NodeJS.Signals;
  /** Partitions the victim led when it was killed. */
  readonly ledPartitions: readonly number[];
  readonly wasController: boolean;
  /** ms from the signal until every partition it led had another leader (undefined: not within the timeout). */
  readonly newLeaderMs: number | undefined;
  /** ms from the signal until `/controller` named another broker (only when the victim was the controller). */
  readonly newControllerMs: number | undefined;
  /** ms from the signal until the process had exited (the harness escalates to SIGKILL after 20 s). */
  readonly exitMs: number;
  /** ms from the signal until the restart began. */
  readonly downMs: number;
  /** ms from the restart until the broker was registered and serving. */
  readonly restartMs: number;
  /** ms from the restart until every partition had a full ISR again (undefined: not within `isrWaitMs`). */
  readonly isrRecoveredMs: number | undefined;
}

export interface ChaosKillerOptions {
  /** Expected ISR size of a healthy partition (the replication factor). */
  readonly replicas: number;
  /** Every `sigtermEvery`-th kill is a SIGTERM (controlled shutdown), the others SIGKILL. Default 4. */
  readonly sigtermEvery?: number;
  /** Extra time a victim stays down after its partitions moved: uniformly in [min, max] ms. Default 500..2500. */
  readonly extraDownMs?: readonly [number, number];
  /** After a restart, wait at most this long for full ISRs before the next kill (it goes on anyway). Default 8 s. */
  readonly isrWaitMs?: number;
  /** How long to wait for new leaders and for the dead broker's registration to go. Default 30 s. */
  readonly electionTimeoutMs?: number;
  /** Pause between a recovery and the next kill. Default 1 s. */
  readonly pauseMs?: number;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
}

/**
 * Kills and restarts brokers one at a time: the leader of some partition, the controller, a follower, in turn,
 * mostly with SIGKILL and sometimes SIGTERM. Never more than one broker down; the next kill waits until the
 * restarted broker is registered again.
 */
export class ChaosKiller {
  readonly #cluster: TestCluster;
  readonly #topic: string;
  readonly #partitions: number;
  readonly #opts: Required<Omit<ChaosKillerOptions, 'log'>> & { log: (line: string) => void };
  readonly #kills: KillRecord[] = [];
  #stopRequested = false;

  constructor(cluster: TestCluster, topic: string, partitions: number, opts: ChaosKillerOptions) {
    this.#cluster = cluster;
    this.#topic = topic;
    this.#partitions = partitions;
    this.#opts = {
      replicas: opts.replicas,
      sigtermEvery: opts.sigtermEvery ?? 4,
      extraDownMs: opts.extraDownMs ?? [500, 2500],
      isrWaitMs: opts.isrWaitMs ?? 8000,
      electionTimeoutMs: opts.electionTimeoutMs ?? 30_000,
      pauseMs: opts.pauseMs ?? 1000,
      random: opts.random ?? Math.random,
      log: opts.log ?? ((): void => undefined),
    };
  }

  get kills(): readonly KillRecord[] {
    return this.#kills;
  }

  /** Kills and restarts until `durationMs` has passed (the kill in progress completes) or `stop()` is called. */
  async run(durationMs: number): Promise<readonly KillRecord[]> {
    const deadline = Date.now() + durationMs;
    while (!this.#stopRequested && Date.now() < deadline) {
      const n = this.#kills.length;
      const role = ROLE_CYCLE[n % ROLE_CYCLE.length] ?? VictimRole.LEADER;
      const signal: NodeJS.Signals = (n + 1) % this.#opts.sigtermEvery === 0 ? 'SIGTERM' : 'SIGKILL';
      this.#kills.push(await this.#killOnce(n, role, signal));
      await sleep(this.#opts.pauseMs);
    }
    return this.#kills;
  }

  stop(): void {
    this.#stopRequested = true;
  }

  #pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.#opts.random() * items.length)];
  }

  #chooseVictim(role: VictimRole, states: readonly PartitionState[], controller: number): number {
    const brokerIds = [...this.#cluster.brokers.keys()];
    if (role === VictimRole.CONTROLLER && controller >= 0) return controller;
    if (role === VictimRole.LEADER) {
      // Prefer a leader that is not also the controller, so the roles stay distinct when they can.
      const leaders = states.map((s) => s.leader).filter((l) => l >= 0);
      const plain = leaders.filter((l) => l !== controller);
      const victim = this.#pick(plain.length > 0 ? plain : leaders);
      if (victim !== undefined) return victim;
    }
    // A follower: an ISR member of a partition it does not lead; of those, one leading as few partitions as
    // possible (with 6 partitions on 3 brokers every broker usually leads some), preferably not the controller.
    const followers = [...new Set(states.flatMap((s) => s.isr.filter((r) => r !== s.leader)))];
    const plain = followers.filter((f) => f !== controller);
    const pool = plain.length > 0 ? plain : followers;
    const led = (id: number): number => states.filter((s) => s.leader === id).length;
    const fewest = Math.min(...pool.map(led));
    return this.#pick(pool.filter((f) => led(f) === fewest)) ?? this.#pick(brokerIds) ?? 1;
  }

  async #killOnce(n: number, role: VictimRole, signal: NodeJS.Signals): Promise<KillRecord> {
    const cluster = this.#cluster;
    const before = await readPartitionStates(cluster, this.#topic, this.#partitions);
    const controller = await controllerId(cluster);
    const victim = this.#chooseVictim(role, before, controller);
    const ledPartitions = before.filter((s) => s.leader === victim).map((s) => s.partition);
    const wasController = victim === controller;
    this.#opts.log(
      `kill #${n}: ${signal} broker ${victim} (${role}${wasController ? ', controller' : ''}, leads [${ledPartitions.join(',')}]) ` +
        `states ${describeStates(before)}`,
    );
    const killedAt = Date.now();
    // Leadership may move before the process is gone (controlled shutdown), so the clocks start with the signal.
    const exited = cluster.kill(victim, signal).then(() => Date.now() - killedAt);

    const leadersMoved = this.#waitMs(killedAt, async () => {
      const states = await readPartitionStates(cluster, this.#topic, this.#partitions);
      return ledPartitions.every((p) => {
        const leader = states[p]?.leader ?? -1;
        return leader >= 0 && leader !== victim;
      });
    });
    const controllerMoved = wasController
      ? this.#waitMs(killedAt, async () => {
          const c = await controllerId(cluster);
          return c >= 0 && c !== victim;
        })
      : Promise.resolve(undefined);
    const [exitMs, newLeaderMs, newControllerMs] = await Promise.all([exited, leadersMoved, controllerMoved]);
    // A crashed broker's registration lives until its ZooKeeper session expires; restart only after that.
    await cluster.waitDeregistered(victim, this.#opts.electionTimeoutMs);
    const [lo, hi] = this.#opts.extraDownMs;
    await sleep(lo + Math.floor(this.#opts.random() * Math.max(0, hi - lo)));

    const restartAt = Date.now();
    const downMs = restartAt - killedAt;
    await cluster.start(victim);
    const restartMs = Date.now() - restartAt;
    const isrRecoveredMs = await this.#waitMs(
      restartAt,
      async () => {
        const states = await readPartitionStates(cluster, this.#topic, this.#partitions);
        return states.every((s) => s.leader >= 0 && s.isr.length === this.#opts.replicas);
      },
      this.#opts.isrWaitMs,
    );
    const record: KillRecord = {
      n,
      victim,
      role,
      signal,
      ledPartitions,
      wasController,
      exitMs,
      newLeaderMs,
      newControllerMs,
      downMs,
      restartMs,
      isrRecoveredMs,
    };
    this.#opts.log(`kill #${n}: ${formatKill(record)}`);
    return record;
  }

  /** ms from `since` until `predicate` holds, or undefined when it did not within the timeout. */
  async #waitMs(since: number, predicate: () => Promise<boolean>, timeoutMs = this.#opts.electionTimeoutMs): Promise<number | undefined> {
    try {
      await this.#cluster.waitFor(predicate, { timeoutMs, intervalMs: 100 });
      return Date.now() - since;
    } catch {
      return undefined;
    }
  }
}

function ms(v: number | undefined): string {
  return v === undefined ? 'timeout' : `${v} ms`;
}

/** One line per kill: victim, signal and the reaction times. */
export function formatKill(k: KillRecord): string {
  const led = k.ledPartitions.length === 0 ? 'no partitions' : `partitions [${k.ledPartitions.join(',')}]`;
  return (
    `${k.signal} broker ${k.victim} (${k.role}${k.wasController ? ', was controller' : ''}, led ${led}): ` +
    `new leader ${k.ledPartitions.length === 0 ? 'n/a' : ms(k.newLeaderMs)}` +
    `${k.wasController ? `, new controller ${ms(k.newControllerMs)}` : ''}, exited after ${k.exitMs} ms, down ${k.downMs} ms, ` +
    `restart ${k.restartMs} ms, full ISR ${ms(k.isrRecoveredMs)} after restart`
  );
}
