import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BrokerRequestSender } from '../../../src/cluster/controller/broker-request-sender.js';
import { ManualClock } from '../../../src/util/clock.js';
import { silentLogger } from '../../storage/test-env.js';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
};

describe('BrokerRequestSender', () => {
  test('delivers in order, one at a time, retrying a failed request after a back-off', async () => {
    const clock = new ManualClock();
    const delivered: string[] = [];
    let failNext = true;
    const sender = new BrokerRequestSender({
      clock,
      logger: silentLogger,
      channel: {
        sendToBroker: async (_id, type) => {
          if (failNext) {
            failNext = false;
            throw new Error('connection refused');
          }
          delivered.push(type);
          return {};
        },
      },
    });
    sender.addBroker(2);
    sender.send(2, 'a', {});
    sender.send(2, 'b', {});
    await settle();
    assert.deepEqual(delivered, []);
    clock.advance(100);
    await settle();
    assert.deepEqual(delivered, ['a', 'b']);
  });

  test('requests queued for a broker that failed are dropped, not delivered to its next incarnation', async () => {
    const clock = new ManualClock();
    const delivered: string[] = [];
    let up = false;
    const sender = new BrokerRequestSender({
      clock,
      logger: silentLogger,
      channel: {
        sendToBroker: async (_id, type) => {
          if (!up) throw new Error('connection refused');
          delivered.push(type);
          return {};
        },
      },
    });
    sender.addBroker(2);
    sender.send(2, 'leader-and-isr for the old process', {});
    await settle();
    // The broker fails and comes back (a new registration) before the retry.
    sender.removeBroker(2);
    sender.addBroker(2);
    up = true;
    sender.send(2, 'update-metadata for the new process', {});
    clock.advance(100);
    await settle();
    clock.advance(2000);
    await settle();
    assert.deepEqual(delivered, ['update-metadata for the new process']);
  });
});
