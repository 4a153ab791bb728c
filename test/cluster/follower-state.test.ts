import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FollowerState } from '../../src/cluster/follower-state.js';

const LAG = 10_000;

describe('FollowerState', () => {
  test('starts with an unknown log end offset and the given caught-up time', () => {
    const f = new FollowerState(2, 500);
    assert.equal(f.brokerId, 2);
    assert.equal(f.logEndOffset, -1);
    assert.equal(f.lastCaughtUpTimeMs, 500);
  });

  test('a fetch at the leader log end offset is caught up now', () => {
    const f = new FollowerState(2, 0);
    f.updateFetchState(10, 10, 1000);
    assert.equal(f.lastCaughtUpTimeMs, 1000);
    assert.equal(f.logEndOffset, 10);
  });

  test('a first fetch behind the leader end is not caught up', () => {
    const f = new FollowerState(2, 0);
    f.updateFetchState(5, 10, 1000);
    assert.equal(f.lastCaughtUpTimeMs, 0);
    assert.equal(f.logEndOffset, 5);
  });

  test('reaching the leader end offset of the previous fetch makes it caught up as of that previous fetch', () => {
    const f = new FollowerState(2, 0);
    f.updateFetchState(5, 10, 1000);
    // The leader grew to 15 meanwhile; the follower now has everything the leader had at t=1000.
    f.updateFetchState(10, 15, 1500);
    assert.equal(f.lastCaughtUpTimeMs, 1000);
    // Not up to the previous end (15): no change.
    f.updateFetchState(12, 20, 2000);
    assert.equal(f.lastCaughtUpTimeMs, 1000);
    // Beyond the previous end (20) but behind the current one (25): caught up as of t=2000.
    f.updateFetchState(21, 25, 2500);
    assert.equal(f.lastCaughtUpTimeMs, 2000);
  });

  test('the caught-up time never moves back', () => {
    const f = new FollowerState(2, 5000);
    f.updateFetchState(10, 10, 4000);
    assert.equal(f.lastCaughtUpTimeMs, 5000);
    f.updateFetchState(10, 20, 6000);
    f.updateFetchState(20, 30, 7000);
    assert.equal(f.lastCaughtUpTimeMs, 6000);
  });

  test('isOutOfSync: only when behind the leader end and not caught up for longer than the lag', () => {
    const f = new FollowerState(2, 1000);
    // Never fetched: behind, judged by the initial caught-up time.
    assert.equal(f.isOutOfSync(10, 1000 + LAG, LAG), false);
    assert.equal(f.isOutOfSync(10, 1000 + LAG + 1, LAG), true);
    f.updateFetchState(10, 10, 2000);
    // At the leader end: never out of sync, however old the caught-up time.
    assert.equal(f.isOutOfSync(10, 2000 + 10 * LAG, LAG), false);
    // Leader moved on: out of sync once the lag passes since t=2000.
    assert.equal(f.isOutOfSync(11, 2000 + LAG, LAG), false);
    assert.equal(f.isOutOfSync(11, 2000 + LAG + 1, LAG), true);
  });

  test('a follower that keeps fetching but never catches the moving end falls out of sync', () => {
    const f = new FollowerState(2, 0);
    let leo = 100;
    for (let t = 0, offset = 0; t <= 3 * LAG; t += 1000, offset += 5, leo += 10) f.updateFetchState(offset, leo, t);
    assert.equal(f.lastCaughtUpTimeMs, 0);
    assert.equal(f.isOutOfSync(leo, 3 * LAG, LAG), true);
  });
});
