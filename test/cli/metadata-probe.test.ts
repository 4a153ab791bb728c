import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { metadataBrokerIds } from '../../src/cli/metadata-probe.js';
import { decodeRequest, encodeResponse } from '../../src/protocol/codec.js';

async function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(typeof address === 'object' && address !== null);
  return { server, port: address.port };
}

describe('metadataBrokerIds', () => {
  test('sends Metadata v1 and returns the broker ids of the answer, even when it arrives in pieces', async () => {
    const { server, port } = await listen((socket) => {
      socket.once('data', (data: Buffer) => {
        const { header, body } = decodeRequest(data.subarray(4));
        assert.deepEqual([header.apiKey, header.apiVersion, body], [3, 1, { topics: [] }]);
        const brokers = [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9091 + nodeId, rack: null }));
        const response = Buffer.concat(encodeResponse({ apiKey: 3, apiVersion: 1, correlationId: header.correlationId }, { brokers, controllerId: 2, topics: [] }));
        socket.write(response.subarray(0, 7));
        setTimeout(() => socket.end(response.subarray(7)), 20);
      });
    });
    try {
      assert.deepEqual(await metadataBrokerIds('127.0.0.1', port), [1, 2, 3]);
    } finally {
      server.close();
    }
  });

  test('undefined when nothing listens, the peer hangs up, or it does not answer in time', async () => {
    const closed = await listen(() => {});
    const closedPort = closed.port;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    assert.equal(await metadataBrokerIds('127.0.0.1', closedPort), undefined);

    const hangUp = await listen((socket) => socket.destroy());
    const silent = await listen(() => {});
    try {
      assert.equal(await metadataBrokerIds('127.0.0.1', hangUp.port), undefined);
      assert.equal(await metadataBrokerIds('127.0.0.1', silent.port, 200), undefined);
    } finally {
      hangUp.server.close();
      silent.server.close();
    }
  });
});
