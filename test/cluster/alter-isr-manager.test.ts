import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlterIsrManager } from '../../src/cluster/alter-isr-manager.js';
import type { AlterIsrItem } from '../../src/cluster/alter-isr-manager.js';
import type { AlterIsrPartitionResult, AlterIsrRequest, AlterIsrResponse } from '../../src/cluster/controller-requests.js';
import { silentLogger } from '../storage/test-env.js';
import { RecordingClock, settle } from './replication-fixtures.js';

interface Call {
  req: AlterIsrRequest;
  resolve: (r: AlterIsrResponse) => void;
  reject: (err: Error) => void;
}

/** A controller the test answers by hand. */
function fakeController(): { calls: Call[]; send: (req: AlterIsrRequest) => Promise<AlterIsrResponse> } {
  const calls: Call[] = [];
  return {
    calls,
    send: (req) => new Promise((resolve, reject) => calls.push({ req, resolve, reject })),
  };
}

const item = (partition: number, newIsr: number[], currentIsrVersion = 0): AlterIsrItem => ({ topic: 't', partition, leaderEpoch: 4, newIsr, currentIsrVersion });

const accepted = (i: AlterIsrItem, version: number): AlterIsrPartitionResult => ({
  topic: i.topic,
  partition: i.partition,
  errorCode: 0,
  leader: 1,
  leaderEpoch: i.leaderEpoch,
  isr: i.newIsr,
  currentIsrVersion: version,
});

function setup(): { manager: AlterIsrManager; clock: RecordingClock; calls: Call[]; results: Map<string, (AlterIsrPartitionResult | null)[]>; submit: (name: string, i: AlterIsrItem) => void } {
  const clock = new RecordingClock();
  const controller = fakeController();
  const manager = new AlterIsrManager({ brokerId: 1, brokerEpoch: () => 77, send: controller.send, clock, logger: silentLogger });
  const results = new Map<string, (AlterIsrPartitionResult | null)[]>();
  const submit = (name: string, i: AlterIsrItem): void => {
    results.set(name, []);
    manager.submit(i, (r) => results.get(name)?.push(r));
  };
  return { manager, clock, calls: controller.calls, results, submit };
}

const partitionsOf = (c: Call | undefined): AlterIsrItem[] => c?.req.partitions ?? [];

describe('AlterIsrManager', () => {
  test('proposals submitted in the same tick go in one request; each partition gets its own answer', async () => {
    const { calls, results, submit } = setup();
    const a = item(0, [1, 2]);
    const b = item(1, [1, 3], 5);
    submit('a', a);
    submit('b', b);
    assert.equal(calls.length, 0);
    await settle();
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.req, { brokerId: 1, brokerEpoch: 77, partitions: [a, b] });
    calls[0]?.resolve({ errorCode: 0, partitions: [accepted(b, 6), { ...accepted(a, 0), errorCode: 52 }] });
    await settle();
    assert.deepEqual(results.get('a'), [{ ...accepted(a, 0), errorCode: 52 }]);
    assert.deepEqual(results.get('b'), [accepted(b, 6)]);
    assert.equal(calls.length, 1);
  });

  test('a partition missing from the response gets null', async () => {
    const { calls, results, submit } = setup();
    submit('a', item(0, [1]));
    await settle();
    calls[0]?.resolve({ errorCode: 0, partitions: [] });
    await settle();
    assert.deepEqual(results.get('a'), [null]);
  });

  test('proposals made while a request is in flight go in the next request', async () => {
    const { calls, results, submit } = setup();
    const a = item(0, [1, 2]);
    const b = item(1, [1]);
    submit('a', a);
    await settle();
    submit('b', b);
    await settle();
    assert.equal(calls.length, 1);
    calls[0]?.resolve({ errorCode: 0, partitions: [accepted(a, 1)] });
    await settle();
    assert.equal(calls.length, 2);
    assert.deepEqual(partitionsOf(calls[1]), [b]);
    calls[1]?.resolve({ errorCode: 0, partitions: [accepted(b, 1)] });
    await settle();
    assert.deepEqual(results.get('a'), [accepted(a, 1)]);
    assert.deepEqual(results.get('b'), [accepted(b, 1)]);
  });

  for (const [what, fail] of [
    ['rejected as a whole with NOT_CONTROLLER', (c: Call) => c.resolve({ errorCode: 41, partitions: [] })],
    ['not delivered', (c: Call) => c.reject(new Error('connection closed'))],
  ] as const) {
    test(`a request ${what} is retried after a backoff with the same proposals`, async () => {
      const { clock, calls, results, submit } = setup();
      const a = item(0, [1, 2]);
      const b = item(1, [1, 3]);
      submit('a', a);
      submit('b', b);
      await settle();
      const first = calls[0];
      assert.ok(first !== undefined);
      fail(first);
      await settle();
      assert.deepEqual(results.get('a'), []);
      assert.deepEqual(clock.delays, [100]);
      clock.advance(99);
      await settle();
      assert.equal(calls.length, 1);
      clock.advance(1);
      await settle();
      assert.equal(calls.length, 2);
      assert.deepEqual(partitionsOf(calls[1]), [a, b]);
      // A second failure backs off longer.
      const second = calls[1];
      assert.ok(second !== undefined);
      fail(second);
      await settle();
      assert.deepEqual(clock.delays, [100, 200]);
      clock.advance(200);
      await settle();
      assert.equal(calls.length, 3);
      calls[2]?.resolve({ errorCode: 0, partitions: [accepted(a, 1), accepted(b, 1)] });
      await settle();
      assert.deepEqual(results.get('a'), [accepted(a, 1)]);
      assert.deepEqual(results.get('b'), [accepted(b, 1)]);
    });
  }

  test('a newer proposal for the same partition replaces the queued one, whose callback gets null', async () => {
    const { calls, results, submit } = setup();
    const older = item(0, [1, 2, 3]);
    const newer = item(0, [1, 2], 1);
    submit('older', older);
    submit('newer', newer);
    assert.deepEqual(results.get('older'), [null]);
    await settle();
    assert.deepEqual(partitionsOf(calls[0]), [newer]);
    calls[0]?.resolve({ errorCode: 0, partitions: [accepted(newer, 2)] });
    await settle();
    assert.deepEqual(results.get('newer'), [accepted(newer, 2)]);
    assert.deepEqual(results.get('older'), [null]);
  });

  test('a failed request is not retried for a partition that proposed again meanwhile', async () => {
    const { clock, calls, results, submit } = setup();
    const older = item(0, [1, 2, 3]);
    const newer = item(0, [1, 2], 1);
    submit('older', older);
    await settle();
    submit('newer', newer);
    calls[0]?.resolve({ errorCode: 41, partitions: [] });
    await settle();
    assert.deepEqual(results.get('older'), [null]);
    clock.advance(100);
    await settle();
    assert.deepEqual(partitionsOf(calls[1]), [newer]);
  });

  test('close fails pending proposals with null, and later ones at once', async () => {
    const { manager, clock, calls, results, submit } = setup();
    submit('a', item(0, [1]));
    await settle();
    calls[0]?.reject(new Error('down'));
    await settle();
    manager.close();
    assert.deepEqual(results.get('a'), [null]);
    submit('b', item(1, [1]));
    assert.deepEqual(results.get('b'), [null]);
    clock.advance(10_000);
    await settle();
    assert.equal(calls.length, 1);
  });
});
