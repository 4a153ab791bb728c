import { encodeJson, jsonFields } from './json.js';

// /brokers/topics/<t>/partitions/<p>/state:
// {"controller_epoch":5,"leader":1,"version":1,"leader_epoch":12,"isr":[1,3]} plus "leader_recovery_state":1 only
// when not RECOVERED (0). The znode's zkVersion is the partition epoch.

export const LeaderRecoveryState = { RECOVERED: 0, RECOVERING: 1 } as const;
export type LeaderRecoveryState = (typeof LeaderRecoveryState)[keyof typeof LeaderRecoveryState];

/** Kafka's LeaderIsrAndControllerEpoch. `leader` -1 = none. */
export interface PartitionState {
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** The epoch of the controller that made the leadership decision. */
  readonly controllerEpoch: number;
  readonly leaderRecoveryState: LeaderRecoveryState;
}

export function encodePartitionState(s: PartitionState): Buffer {
  const json: Record<string, unknown> = {
    version: 1,
    leader: s.leader,
    leader_epoch: s.leaderEpoch,
    controller_epoch: s.controllerEpoch,
    isr: s.isr,
  };
  if (s.leaderRecoveryState !== LeaderRecoveryState.RECOVERED) json['leader_recovery_state'] = s.leaderRecoveryState;
  return encodeJson(json);
}

export function decodePartitionState(data: Buffer | null): PartitionState {
  const f = jsonFields(data, '/brokers/topics/<t>/partitions/<p>/state');
  f.version([1]);
  let leaderRecoveryState: LeaderRecoveryState = LeaderRecoveryState.RECOVERED;
  if (f.has('leader_recovery_state')) {
    const v = f.int('leader_recovery_state');
    if (v !== LeaderRecoveryState.RECOVERED && v !== LeaderRecoveryState.RECOVERING) {
      throw f.error('leader_recovery_state', '0 or 1', v);
    }
    leaderRecoveryState = v;
  }
  return {
    leader: f.int('leader'),
    leaderEpoch: f.int('leader_epoch'),
    isr: f.intArray('isr'),
    controllerEpoch: f.int('controller_epoch'),
    leaderRecoveryState,
  };
}
