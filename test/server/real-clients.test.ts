import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { systemClock } from '../../src/util/clock.js';
import { Dispatcher } from '../../src/server/dispatcher.js';
import type { RequestHandler } from '../../src/server/handler.js';
import type { RequestContext } from '../../src/server/request-context.js';
import { SocketServer } from '../../src/server/socket-server.js';
import type { MetadataResponseInput } from '../../src/protocol/apis/index.js';
import { captureLogger } from './wire.js';

interface FakeBroker {
  readonly port: number;
  /** api key and version of every request frame, in arrival order. */
  readonly seen: { apiKey: number; apiVersion: number }[];
  readonly metadataVersions: number[];
  stop(): Promise<void>;
}

/** A SocketServer with only ApiVersions and a Metadata handler describing this one broker and no topics. */
async function startFakeBroker(): Promise<FakeBroker> {
  const { logger } = captureLogger();
  let port = 0;
  const metadataVersions: number[] = [];
  const metadata: RequestHandler<unknown, MetadataResponseInput> = {
    apiKey: 3,
    minVersion: 0,
    maxVersion: 12,
    handle(ctx: RequestContext) {
      metadataVersions.push(ctx.header.apiVersion);
      return {
        throttleTimeMs: 0,
        brokers: [{ nodeId: 0, host: '127.0.0.1', port, rack: null }],
        clusterId: 'streamkeeper-test',
        controllerId: 0,
        topics: [],
      };
    },
  };
  const dispatcher = new Dispatcher({ handlers: [metadata], logger, clock: systemClock });
  const seen: { apiKey: number; apiVersion: number }[] = [];
  const server = new SocketServer({
    listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' }],
    dispatcher: {
      dispatch: (connection, frame) => {
        seen.push({ apiKey: frame.readInt16BE(0), apiVersion: frame.readInt16BE(2) });
        return dispatcher.dispatch(connection, frame);
      },
    },
    logger,
    clock: systemClock,
    maxRequestBytes: 100 * 1024 * 1024,
  });
  const [bound] = await server.start();
  assert.ok(bound);
  port = bound.port;
  return { port, seen, metadataVersions, stop: () => server.stop() };
}

describe('real clients against the socket server', () => {
  test('kafkajs connects: ApiVersions v2 answered, then Metadata v6 for listTopics', async () => {
    const broker = await startFakeBroker();
    const kafka = new Kafka({
      clientId: 'sk-test',
      brokers: [`127.0.0.1:${broker.port}`],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
      assert.deepEqual(await admin.listTopics(), []);
    } finally {
      await admin.disconnect();
      await broker.stop();
    }
    assert.deepEqual(broker.seen[0], { apiKey: 18, apiVersion: 2 }, 'kafkajs opens with ApiVersions v2');
    assert.ok(broker.metadataVersions.length > 0);
    assert.ok(
      broker.metadataVersions.every((v) => v === 6),
      'kafkajs picks min(its max 6, our max 12)',
    );
  });

  test('kcat (librdkafka) lists metadata after ApiVersions v3 (flexible request, v0 response header)', async () => {
    const broker = await startFakeBroker();
    try {
      const { stdout } = await promisify(execFile)('kcat', ['-L', '-b', `127.0.0.1:${broker.port}`, '-m', '5', '-J'], {
        timeout: 10_000,
      });
      const listing = JSON.parse(stdout) as { brokers: { id: number; name: string }[]; topics: unknown[] };
      assert.deepEqual(listing.brokers, [{ id: 0, name: `127.0.0.1:${broker.port}` }]);
      assert.deepEqual(listing.topics, []);
    } finally {
      await broker.stop();
    }
    assert.deepEqual(broker.seen[0], { apiKey: 18, apiVersion: 3 });
    assert.ok(broker.seen.some((s) => s.apiKey === 3));
  });
});
