import type { Clock } from '../../util/clock.js';
import type { PartitionEntry } from './controller-context.js';
import type { ControllerOps } from './controller-ops.js';
import { electPreferred } from './leader-election.js';

export interface LeaderBalanceOptions {
  /** auto.leader.rebalance.enable (default true). */
  autoRebalanceEnable: boolean;
  /** leader.imbalance.check.interval.seconds (default 300), in ms. */
  checkIntervalMs: number;
  /** leader.imbalance.per.broker.percentage (default 10). */
  imbalancePerBrokerPercentage: number;
}

/** Kafka schedules the first imbalance check 5 s after failover. */
const FIRST_CHECK_DELAY_MS = 5000;

/**
 * Moving leadership back to preferred replicas: the /admin/preferred_replica_election znode (processed then
 * deleted) and the periodic auto rebalance (KafkaController.checkAndTriggerAutoLeaderRebalance).
 */
export class LeaderBalance {
  readonly #ops: ControllerOps;
  readonly #clock: Clock;
  readonly #opts: LeaderBalanceOptions;
  #cancel: (() => void) | null = null;
  #generation = 0;

  constructor(ops: ControllerOps, clock: Clock, opts: LeaderBalanceOptions) {
    this.#ops = ops;
    this.#clock = clock;
    this.#opts = opts;
  }

  /** Preferred election for `entries` (ISR unchanged, new leader epoch); returns the partitions whose leader moved. */
  elect(entries: PartitionEntry[]): Promise<PartitionEntry[]> {
    return this.#ops.changeLeadership(entries, (e, cur) => electPreferred(e.replicas, cur, this.#ops.ctx.isAlive));
  }

  /** The preferred-election znode appeared: elect for the listed partitions (all when the list is empty), delete it. */
  async onZkNodeChange(): Promise<void> {
    const listed = await this.#ops.zk.preferredElection(this.#ops.watch('zk-preferred-replica-election', () => this.onZkNodeChange()));
    if (listed === null) return;
    const { ctx } = this.#ops;
    const entries = listed.length === 0
      ? [...ctx.partitions.values()]
      : listed.map((p) => ctx.entry(p.topic, p.partition)).filter((e): e is PartitionEntry => e !== undefined);
    const moved = await this.elect(entries.filter((e) => !ctx.topicsToDelete.has(e.topic)));
    this.#ops.logger.info('preferred replica election from /admin/preferred_replica_election', {
      requested: listed.length === 0 ? 'all' : listed.length,
      moved: moved.map((e) => `${e.topic}-${e.partition}`),
    });
    if (this.#ops.isActive()) await this.#ops.zk.removePreferredElection(this.#ops.fence());
  }

  /** Starts the periodic imbalance check (on failover). */
  start(): void {
    this.stop();
    if (!this.#opts.autoRebalanceEnable) return;
    this.#schedule(++this.#generation, FIRST_CHECK_DELAY_MS);
  }

  /** Stops it (on resignation); a check already queued does nothing. */
  stop(): void {
    this.#generation++;
    this.#cancel?.();
    this.#cancel = null;
  }

  #schedule(generation: number, delayMs: number): void {
    this.#cancel = this.#clock.schedule(delayMs, () => {
      if (generation !== this.#generation) return;
      this.#ops.enqueue('auto-leader-rebalance', async () => {
        if (generation !== this.#generation || !this.#ops.isActive()) return;
        try {
          await this.checkImbalance();
        } finally {
          if (generation === this.#generation && this.#ops.isActive()) this.#schedule(generation, this.#opts.checkIntervalMs);
        }
      });
    });
  }

  /**
   * Per preferred broker: imbalance = partitions it should lead but does not / partitions it should lead. Above
   * the threshold, preferred election for those whose preferred replica is alive and in the ISR. Nothing while a
   * reassignment runs; topics being deleted are left alone.
   */
  async checkImbalance(): Promise<PartitionEntry[]> {
    const { ctx } = this.#ops;
    const all = [...ctx.partitions.values()];
    if (all.some((e) => ctx.isReassigning(e))) return [];
    const byPreferred = new Map<number, PartitionEntry[]>();
    for (const e of all) {
      const preferred = e.replicas[0];
      if (preferred === undefined || e.state === null || ctx.topicsToDelete.has(e.topic)) continue;
      let list = byPreferred.get(preferred);
      if (list === undefined) byPreferred.set(preferred, (list = []));
      list.push(e);
    }
    const candidates: PartitionEntry[] = [];
    for (const [brokerId, list] of byPreferred) {
      const notLed = list.filter((e) => e.state?.leader !== brokerId);
      const ratio = notLed.length / list.length;
      if (ratio <= this.#opts.imbalancePerBrokerPercentage / 100) continue;
      this.#ops.logger.info('leader imbalance', { brokerId, ratio });
      candidates.push(...notLed.filter((e) => ctx.isAlive(brokerId) && e.state?.isr.includes(brokerId) === true));
    }
    return candidates.length === 0 ? [] : this.elect(candidates);
  }
}
