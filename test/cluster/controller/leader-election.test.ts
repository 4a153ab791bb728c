import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  electForControlledShutdown,
  electForNewPartition,
  electForOfflinePartition,
  electPreferred,
  removeReplicaFromIsr,
} from '../../../src/cluster/controller/leader-election.js';

const alive = (...ids: number[]) => (id: number) => ids.includes(id);

describe('leader election rules', () => {
  test('a new partition is led by the first live replica, with every live replica in the ISR', () => {
    assert.deepEqual(electForNewPartition([3, 1, 2], alive(1, 2)), { leader: 1, leaderEpoch: 0, isr: [1, 2] });
    assert.equal(electForNewPartition([3], alive(1)), null);
  });

  test('an offline partition picks the first live ISR member in assignment order and bumps the epoch', () => {
    const r = electForOfflinePartition([1, 2, 3], { leader: 1, leaderEpoch: 4, isr: [1, 3, 2] }, alive(2, 3), false);
    assert.deepEqual(r, { leader: 2, leaderEpoch: 5, isr: [3, 2] });
  });

  test('without a live ISR member there is no leader unless unclean election is allowed', () => {
    const current = { leader: 1, leaderEpoch: 2, isr: [1] };
    assert.equal(electForOfflinePartition([1, 2], current, alive(2), false), null);
    assert.deepEqual(electForOfflinePartition([1, 2], current, alive(2), true), { leader: 2, leaderEpoch: 3, isr: [2] });
  });

  test('preferred election moves leadership to the first replica only when it is alive and in sync', () => {
    const current = { leader: 2, leaderEpoch: 7, isr: [2, 1] };
    assert.deepEqual(electPreferred([1, 2], current, alive(1, 2)), { leader: 1, leaderEpoch: 8, isr: [2, 1] });
    assert.equal(electPreferred([1, 2], { leader: 2, leaderEpoch: 7, isr: [2] }, alive(1, 2)), null);
    assert.equal(electPreferred([2, 1], current, alive(1, 2)), null);
  });

  test('controlled shutdown hands leadership to a live ISR member that is not stopping', () => {
    const r = electForControlledShutdown([1, 2, 3], { leader: 1, leaderEpoch: 0, isr: [1, 2, 3] }, alive(1, 2, 3), new Set([1, 2]));
    assert.deepEqual(r, { leader: 3, leaderEpoch: 1, isr: [3] });
  });

  test('a dead replica leaves the ISR unless it is the last member', () => {
    assert.deepEqual(removeReplicaFromIsr({ leader: 1, leaderEpoch: 0, isr: [1, 2] }, 2), { leader: 1, leaderEpoch: 1, isr: [1] });
    assert.deepEqual(removeReplicaFromIsr({ leader: 1, leaderEpoch: 0, isr: [1] }, 1), { leader: -1, leaderEpoch: 1, isr: [1] });
    assert.equal(removeReplicaFromIsr({ leader: 1, leaderEpoch: 0, isr: [1] }, 3), null);
  });
});
