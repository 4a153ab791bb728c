import { Controller } from '../../../src/cluster/controller/controller.js';
import type { ControllerOptions } from '../../../src/cluster/controller/controller.js';
import type { LeaderAndIsrRequest, StopReplicaRequest } from '../../../src/cluster/controller-requests.js';
import type { ZkPartitionState } from '../../../src/cluster/controller/controller-zk.js';
import { ManualClock } from '../../../src/util/clock.js';
import { moduleLogger } from '../../../src/util/logger.js';
import { broker, FakeControllerZk } from './fake-controller-zk.js';

export interface Sent {
  to: number;
  type: string;
  payload: unknown;
}

/** A controller (broker 1) over a FakeControllerZk with the given live brokers; every request it sends is recorded. */
export function harness(brokerIds: number[], opts: Partial<ControllerOptions> = {}) {
  const zk = new FakeControllerZk();
  zk.brokerList = brokerIds.map((id) => broker(id));
  const sent: Sent[] = [];
  const clock = new ManualClock();
  const make = (brokerId = 1): Controller =>
    new Controller({
      brokerId,
      zk,
      channel: {
        async sendToBroker(to: number, type: string, payload: unknown) {
          sent.push({ to, type, payload });
          return { errorCode: 0, partitionErrors: [] };
        },
      },
      clock,
      logger: moduleLogger('controller-test'),
      deleteTopicEnable: true,
      uncleanLeaderElectionEnable: false,
      autoLeaderRebalanceEnable: false,
      ...opts,
    });
  return { zk, sent, clock, controller: make(), make };
}

/** Lets queued events, watches and request callbacks run to the end. */
export async function drain(controller: Controller): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await new Promise((r) => setImmediate(r));
    await controller.idle();
  }
}

export function state(leader: number, isr: number[], leaderEpoch = 0, controllerEpoch = 0): { state: ZkPartitionState; zkVersion: number } {
  return { state: { controllerEpoch, leader, leaderEpoch, isr }, zkVersion: 0 };
}

export function leaderAndIsrTo(sent: Sent[], to: number): LeaderAndIsrRequest[] {
  return sent.filter((s) => s.type === 'leader-and-isr' && s.to === to).map((s) => s.payload as LeaderAndIsrRequest);
}

export function stopReplicaTo(sent: Sent[], to: number): StopReplicaRequest[] {
  return sent.filter((s) => s.type === 'stop-replica' && s.to === to).map((s) => s.payload as StopReplicaRequest);
}
