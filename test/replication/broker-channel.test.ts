import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../../src/util/clock.js';
import { BrokerChannelManager, peerUrl } from '../../src/replication/broker-channel.js';
import type { BrokerEndpoint, ControllerChannel } from '../../src/replication/broker-channel.js';
import { captureLogger, CLUSTER_ID, SECRET, startServer, waitUntil } from './helpers.js';

function manager(endpoints: Map<number, BrokerEndpoint>): BrokerChannelManager {
  return new BrokerChannelManager({
    brokerId: 0,
    clusterId: CLUSTER_ID,
    secret: SECRET,
    logger: captureLogger().logger,
    clock: systemClock,
    resolveEndpoint: (id) => endpoints.get(id) ?? null,
    client: { requestTimeoutMs: 3_000 },
  });
}

describe('BrokerChannelManager', () => {
  test('peer URLs bracket IPv6 hosts', () => {
    assert.equal(peerUrl({ host: '10.0.0.5', port: 9092 }), 'ws://10.0.0.5:9092/streamkeeper/peer');
    assert.equal(peerUrl({ host: '::1', port: 9092 }), 'ws://[::1]:9092/streamkeeper/peer');
  });

  test('an empty secret is refused at construction', () => {
    assert.throws(
      () =>
        new BrokerChannelManager({
          brokerId: 0,
          clusterId: CLUSTER_ID,
          secret: '',
          logger: captureLogger().logger,
          clock: systemClock,
          resolveEndpoint: () => null,
        }),
      /streamkeeper\.cluster\.secret is empty/,
    );
  });

  test('routes to remote brokers by id and to the local handler for itself', async () => {
    const [b1, b2] = await Promise.all([startServer({ brokerId: 1 }), startServer({ brokerId: 2 })]);
    for (const [server, id] of [[b1, 1], [b2, 2]] as const) {
      server.peer.onRequest('UpdateMetadata', async (p, peer) => ({ handledBy: id, from: peer.brokerId, p }));
    }
    const endpoints = new Map<number, BrokerEndpoint>([
      [1, { host: '127.0.0.1', port: b1.port }],
      [2, { host: '127.0.0.1', port: b2.port }],
    ]);
    const m = manager(endpoints);
    const local: [string, unknown][] = [];
    m.setLocalHandler(async (type, payload) => {
      local.push([type, payload]);
      return 'local';
    });
    const channel: ControllerChannel = m;
    try {
      assert.deepEqual(await channel.sendToBroker(1, 'UpdateMetadata', { e: 1 }), { handledBy: 1, from: 0, p: { e: 1 } });
      assert.deepEqual(await channel.sendToBroker(2, 'UpdateMetadata', { e: 2 }), { handledBy: 2, from: 0, p: { e: 2 } });
      const payload = { e: 0 };
      assert.equal(await channel.sendToBroker(0, 'UpdateMetadata', payload), 'local');
      assert.equal(local[0]?.[1], payload, 'the local handler gets the very object, no encoding');
      assert.deepEqual(m.brokers(), [1, 2]);
      await assert.rejects(channel.sendToBroker(5, 'UpdateMetadata', {}), { name: 'PeerUnavailableError', retriable: true });
    } finally {
      await m.close();
      await Promise.all([b1.close(), b2.close()]);
    }
  });

  test('a client that reaches the wrong broker at an endpoint refuses it', async () => {
    const b1 = await startServer({ brokerId: 1 });
    b1.peer.onRequest('StopReplica', async () => 'stopped');
    // Broker 3's stale endpoint now belongs to broker 1.
    const m = manager(new Map([[3, { host: '127.0.0.1', port: b1.port }]]));
    try {
      await assert.rejects(m.sendToBroker(3, 'StopReplica', {}, { timeoutMs: 500 }), { name: 'PeerTimeoutError', sent: false });
    } finally {
      await m.close();
      await b1.close();
    }
  });

  test('an endpoint change replaces the client; removeBroker closes it and fails its requests', async () => {
    const [old, moved] = await Promise.all([startServer({ brokerId: 1 }), startServer({ brokerId: 1 })]);
    old.peer.onRequest('where', async () => 'old');
    moved.peer.onRequest('where', async () => 'moved');
    moved.peer.onRequest('never', () => new Promise(() => undefined));
    const endpoints = new Map([[1, { host: '127.0.0.1', port: old.port }]]);
    const m = manager(endpoints);
    try {
      assert.equal(await m.sendToBroker(1, 'where', null), 'old');
      endpoints.set(1, { host: '127.0.0.1', port: moved.port });
      assert.equal(await m.sendToBroker(1, 'where', null), 'moved');
      await waitUntil(() => old.peer.connectedPeers().length === 0, 3_000, 'the old connection to close');

      const pending = m.sendToBroker(1, 'never', null).catch((e: unknown) => e);
      await waitUntil(() => m.clientFor(1).pendingRequests.inFlight === 1);
      await m.removeBroker(1);
      assert.equal(((await pending) as Error).name, 'PeerClosedError');
      assert.deepEqual(m.brokers(), []);
      await waitUntil(() => moved.peer.connectedPeers().length === 0, 3_000, 'the connection to close');
    } finally {
      await m.close();
      await Promise.all([old.close(), moved.close()]);
    }
  });
});
