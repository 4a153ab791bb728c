import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { controlledShutdown } from '../../src/cluster/controlled-shutdown.js';
import type { ControlledShutdownRequest, ControlledShutdownResponse } from '../../src/cluster/controller-requests.js';
import { isStaleBrokerEpoch } from '../../src/cluster/controller-requests.js';
import { ManualClock } from '../../src/util/clock.js';
import { silentLogger } from '../storage/test-env.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

function run(answers: (ControlledShutdownResponse | Error)[], maxRetries = 3) {
  const clock = new ManualClock();
  const sent: ControlledShutdownRequest[] = [];
  const result = controlledShutdown({
    request: { brokerId: 2, brokerEpoch: 200 },
    send: async (req) => {
      sent.push(req);
      const a = answers.shift();
      if (a === undefined || a instanceof Error) throw a ?? new Error('no answer');
      return a;
    },
    maxRetries,
    retryBackoffMs: 5000,
    clock,
    logger: silentLogger,
  });
  return { clock, sent, result };
}

const remaining = (n: number): ControlledShutdownResponse => ({ errorCode: 0, remainingPartitions: Array.from({ length: n }, (_, i) => ({ topic: 't', partition: i })) });

describe('controlledShutdown (broker side)', () => {
  test('asks again after the back-off while partitions remain, and succeeds once none do', async () => {
    const { clock, sent, result } = run([remaining(2), remaining(0)]);
    await settle();
    assert.equal(sent.length, 1);
    clock.advance(4999);
    await settle();
    assert.equal(sent.length, 1, 'waits the whole back-off');
    clock.advance(1);
    assert.equal(await result, true);
    assert.equal(sent.length, 2);
    assert.deepEqual(sent[0], { brokerId: 2, brokerEpoch: 200 });
  });

  test('a failed request is retried; after max.retries attempts it gives up without waiting again', async () => {
    const { clock, sent, result } = run([new Error('no controller'), { errorCode: 41, remainingPartitions: [] }, new Error('timeout')]);
    for (let i = 0; i < 2; i++) {
      await settle();
      clock.advance(5000);
    }
    assert.equal(await result, false);
    assert.equal(sent.length, 3);
  });

  test('max.retries 0 still makes one attempt', async () => {
    const { sent, result } = run([remaining(0)], 0);
    assert.equal(await result, true);
    assert.equal(sent.length, 1);
  });
});

describe('isStaleBrokerEpoch (controller commands to a broker)', () => {
  test('LeaderAndIsr, UpdateMetadata and StopReplica from an earlier registration are stale', () => {
    for (const type of ['leader-and-isr', 'update-metadata', 'stop-replica']) {
      assert.equal(isStaleBrokerEpoch(type, { brokerEpoch: 199 }, 200), true, type);
      assert.equal(isStaleBrokerEpoch(type, { brokerEpoch: 200 }, 200), false, type);
      assert.equal(isStaleBrokerEpoch(type, { brokerEpoch: 201 }, 200), false, `${type}: newer (the broker's view lags)`);
      assert.equal(isStaleBrokerEpoch(type, { brokerEpoch: -1 }, 200), false, `${type}: unknown epoch is not checked`);
      assert.equal(isStaleBrokerEpoch(type, { brokerEpoch: 5 }, -1), false, `${type}: before registration`);
    }
  });

  test('requests from leaders to the controller are not checked here', () => {
    assert.equal(isStaleBrokerEpoch('alter-isr', { brokerEpoch: 1 }, 200), false);
    assert.equal(isStaleBrokerEpoch('controlled-shutdown', { brokerEpoch: 1 }, 200), false);
  });
});
