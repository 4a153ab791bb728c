import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/util/clock.js';
import { Dispatcher } from '../../src/server/dispatcher.js';
import type { DispatchOutcome } from '../../src/server/dispatcher.js';
import { CloseConnectionError, NO_RESPONSE } from '../../src/server/handler.js';
import type { RequestHandler } from '../../src/server/handler.js';
import type { RequestContext } from '../../src/server/request-context.js';
import {
  apiVersionsV3Body,
  captureLogger,
  heartbeatV0Body,
  parseApiVersionsV0,
  requestFrame,
  testConnectionInfo,
} from './wire.js';
import type { RequestSpec } from './wire.js';

const HEARTBEAT = 12;
const METADATA = 3;
const API_VERSIONS = 18;

function handler(apiKey: number, minVersion: number, maxVersion: number, handle?: RequestHandler['handle']): RequestHandler {
  return { apiKey, minVersion, maxVersion, handle: handle ?? (() => ({ errorCode: 0 })) };
}

function setup(handlers: RequestHandler[]): { dispatcher: Dispatcher; entries: ReturnType<typeof captureLogger>['entries'] } {
  const { logger, entries } = captureLogger();
  return { dispatcher: new Dispatcher({ handlers, logger, clock: new ManualClock() }), entries };
}

/** The request frame without its size prefix, as the FrameDecoder hands it over. */
function frame(spec: RequestSpec): Buffer {
  return requestFrame(spec).subarray(4);
}

function responseBytes(outcome: DispatchOutcome): Buffer {
  assert.equal(outcome.kind, 'response');
  const whole = Buffer.concat(outcome.kind === 'response' ? [...outcome.chunks] : []);
  assert.equal(whole.readInt32BE(0), whole.length - 4, 'size prefix');
  return whole;
}

const heartbeat = (correlationId: number, apiVersion = 0): Buffer =>
  frame({ apiKey: HEARTBEAT, apiVersion, correlationId, body: heartbeatV0Body('g', 1, 'm') });

describe('Dispatcher', () => {
  test('advertises exactly the registered handlers plus ApiVersions, by api key', () => {
    const { dispatcher } = setup([handler(HEARTBEAT, 0, 2), handler(METADATA, 1, 5)]);
    assert.deepEqual(dispatcher.advertisedApis(), [
      { apiKey: METADATA, minVersion: 1, maxVersion: 5 },
      { apiKey: HEARTBEAT, minVersion: 0, maxVersion: 2 },
      { apiKey: API_VERSIONS, minVersion: 0, maxVersion: 3 },
    ]);
  });

  test('refuses handlers outside the protocol schemas or with bad ranges at construction', () => {
    assert.throws(() => setup([handler(HEARTBEAT, 0, 99)]), /outside the protocol schemas/);
    assert.throws(() => setup([handler(9999, 0, 0)]), /no protocol schema/);
    assert.throws(() => setup([handler(HEARTBEAT, 2, 1)]), /invalid version range/);
    assert.throws(() => setup([handler(HEARTBEAT, 0, 1), handler(HEARTBEAT, 2, 3)]), /two handlers/);
    assert.throws(() => setup([handler(API_VERSIONS, 0, 9)]), /outside the protocol schemas/);
  });

  test('ApiVersions v0 lists the handlers, byte for byte', async () => {
    const { dispatcher } = setup([handler(HEARTBEAT, 0, 2)]);
    const out = responseBytes(
      await dispatcher.dispatch(testConnectionInfo(), frame({ apiKey: API_VERSIONS, apiVersion: 0, correlationId: 7, body: Buffer.alloc(0) })),
    );
    assert.deepEqual(
      out,
      Buffer.from([0, 0, 0, 22, 0, 0, 0, 7, 0, 0, 0, 0, 0, 2, 0, 12, 0, 0, 0, 2, 0, 18, 0, 0, 0, 3]),
    );
  });

  test('ApiVersions v1 adds throttle_time_ms', async () => {
    const { dispatcher } = setup([]);
    const out = responseBytes(
      await dispatcher.dispatch(testConnectionInfo(), frame({ apiKey: API_VERSIONS, apiVersion: 1, correlationId: 1, body: Buffer.alloc(0) })),
    );
    assert.deepEqual(parseApiVersionsV0(out.subarray(8)), { errorCode: 0, apiKeys: [[18, 0, 3]] });
    assert.equal(out.length, 8 + 6 + 6 + 4, 'throttle_time_ms after the array');
    assert.equal(out.readInt32BE(out.length - 4), 0);
  });

  test('ApiVersions v3 validates the client software name and version (INVALID_REQUEST = 42)', async () => {
    const { dispatcher } = setup([handler(HEARTBEAT, 0, 2)]);
    const ask = async (name: string, version: string): Promise<Buffer> =>
      responseBytes(
        await dispatcher.dispatch(
          testConnectionInfo(),
          frame({ apiKey: API_VERSIONS, apiVersion: 3, correlationId: 3, flexibleHeader: true, body: apiVersionsV3Body(name, version) }),
        ),
      );
    const good = await ask('librdkafka', '2.0.2');
    // header v0 even for v3: correlation id directly followed by error_code, then a compact array of 2 entries
    assert.equal(good.readInt32BE(4), 3);
    assert.equal(good.readInt16BE(8), 0);
    assert.equal(good[10], 3, 'compact array length N+1');
    for (const [name, version] of [
      ['bad name', '1.0'],
      ['kafkajs', '-1.0'],
      ['-x', '1'],
      ['x', '1.'],
      ['', '1'],
    ] as const) {
      const bad = await ask(name, version);
      assert.equal(bad.readInt16BE(8), 42, `${JSON.stringify(name)} ${JSON.stringify(version)}`);
      assert.equal(bad[10], 1, 'no api keys with the error');
    }
  });

  // Versions above 3 use request header v2 (Kafka derives it from the schema's flexible versions); the body is skipped.
  for (const [apiVersion, body] of [
    [4, apiVersionsV3Body('apache-kafka-java', '3.9.0')],
    [99, Buffer.from([1, 2, 3])],
  ] as const) {
    test(`ApiVersions v${apiVersion} (unsupported) gets a v0 body behind a v0 header: 35 and only key 18`, async () => {
      const { dispatcher } = setup([handler(HEARTBEAT, 0, 2)]);
      const out = responseBytes(
        await dispatcher.dispatch(
          testConnectionInfo(),
          frame({ apiKey: API_VERSIONS, apiVersion, correlationId: 0x01020304, flexibleHeader: true, body }),
        ),
      );
      assert.deepEqual(out, Buffer.from([0, 0, 0, 16, 1, 2, 3, 4, 0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3]));
    });
  }

  test('unknown api key, an api without handler and a version outside the handler close the connection with a log', async () => {
    const { dispatcher, entries } = setup([handler(HEARTBEAT, 0, 2)]);
    const cases = [
      frame({ apiKey: 999, apiVersion: 0, correlationId: 1, body: Buffer.alloc(4) }),
      frame({ apiKey: METADATA, apiVersion: 1, correlationId: 2, body: Buffer.from([0, 0, 0, 0]) }),
      heartbeat(3, 3),
    ];
    for (const f of cases) {
      const outcome = await dispatcher.dispatch(testConnectionInfo(), f);
      assert.equal(outcome.kind, 'close');
    }
    const warnings = entries.filter((e) => e.level === 'warn');
    assert.deepEqual(
      warnings.map((e) => [e['apiKey'], e['apiVersion'], e['correlationId'], e['clientAddress']]),
      [
        [999, 0, 1, '127.0.0.1:40000'],
        [METADATA, 1, 2, '127.0.0.1:40000'],
        [HEARTBEAT, 3, 3, '127.0.0.1:40000'],
      ],
    );
  });

  test('a body that does not parse closes the connection and logs a warning with the header', async () => {
    const { dispatcher, entries } = setup([handler(HEARTBEAT, 0, 2)]);
    const truncated = frame({ apiKey: HEARTBEAT, apiVersion: 0, correlationId: 5, body: Buffer.from([0, 9, 1]) });
    assert.equal((await dispatcher.dispatch(testConnectionInfo(), truncated)).kind, 'close');
    const warning = entries.find((e) => e.level === 'warn');
    assert.ok(warning);
    assert.equal(warning['apiKey'], HEARTBEAT);
    assert.equal(warning['correlationId'], 5);
    assert.equal(warning['clientAddress'], '127.0.0.1:40000');
    const garbage = Buffer.from([0xff]);
    assert.equal((await dispatcher.dispatch(testConnectionInfo(), garbage)).kind, 'close');
  });

  test('handler results: async response, NO_RESPONSE, CloseConnectionError, unexpected error', async () => {
    let mode = 'ok';
    const seen: RequestContext[] = [];
    const { dispatcher, entries } = setup([
      handler(HEARTBEAT, 0, 2, async (ctx: RequestContext, request: { generationId: number }) => {
        seen.push(ctx);
        ctx.logger.info('handling', { generationId: request.generationId });
        await Promise.resolve();
        if (mode === 'none') return NO_RESPONSE;
        if (mode === 'close') throw new CloseConnectionError('acks=0 produce failed');
        if (mode === 'boom') throw new TypeError('bug');
        return { errorCode: 27 };
      }),
    ]);
    const ok = responseBytes(await dispatcher.dispatch(testConnectionInfo(), heartbeat(11)));
    assert.deepEqual(ok, Buffer.from([0, 0, 0, 6, 0, 0, 0, 11, 0, 27]));
    mode = 'none';
    assert.deepEqual(await dispatcher.dispatch(testConnectionInfo(), heartbeat(12)), { kind: 'none' });
    mode = 'close';
    assert.equal((await dispatcher.dispatch(testConnectionInfo(), heartbeat(13))).kind, 'close');
    mode = 'boom';
    assert.equal((await dispatcher.dispatch(testConnectionInfo(), heartbeat(14))).kind, 'close');
    const error = entries.find((e) => e.level === 'error');
    assert.ok(error);
    assert.equal(error['correlationId'], 14);
    assert.match(String(error['error']), /TypeError: bug/);
    const handling = entries.find((e) => e.message === 'handling');
    assert.equal(handling?.['clientId'], 'test-client');
    assert.equal(handling?.['correlationId'], 11);
    assert.equal(seen[0]?.header.apiKey, HEARTBEAT);
    assert.equal(seen[0]?.listenerName, 'PLAINTEXT');
    assert.equal(seen[0]?.receivedAtMs, 1_700_000_000_000);
  });
});
