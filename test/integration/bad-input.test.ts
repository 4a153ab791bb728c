// One real broker fed garbage over raw TCP and invalid admin requests: each is rejected the way Kafka does, the
// rejection is logged, and a healthy kafkajs client keeps working. Also: bad broker configurations exit cleanly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import kafkajs from 'kafkajs';

import { rssKiB, runBrokerToExit, writeProperties } from '../harness/broker-process.js';
import { assertHealthy } from '../harness/clients.js';
import { useCluster } from '../harness/fixture.js';
import { makeTempDir, randomTopic, removeTempDir } from '../harness/paths.js';
import { freePort } from '../harness/ports.js';
import { API, RawConnection, parseProduceV3Response, produceV3Body } from '../harness/raw-connection.js';
import { buildRecordBatch } from '../harness/record-batch.js';
import { crc32c } from '../../src/util/crc32c.js';
import { WireWriter } from '../harness/wire.js';

const { ConfigResourceTypes } = kafkajs;

const ERROR = { CORRUPT_MESSAGE: 2, INVALID_RECORD: 87, INVALID_TOPIC_EXCEPTION: 17, UNSUPPORTED_VERSION: 35, INVALID_CONFIG: 40 } as const;

/** Every kafkajs error `type` reachable from `err` (through aggregate `errors`, `originalError` and `cause`). */
function errorTypes(err: unknown, seen = new Set<unknown>()): string[] {
  if (typeof err !== 'object' || err === null || seen.has(err)) return [];
  seen.add(err);
  const e = err as { type?: unknown; errors?: unknown; originalError?: unknown; cause?: unknown };
  const own = typeof e.type === 'string' ? [e.type] : [];
  const nested = [...(Array.isArray(e.errors) ? e.errors : []), e.originalError, e.cause];
  return [...own, ...nested.flatMap((n) => errorTypes(n, seen))];
}

async function rejectsWith(fn: () => Promise<unknown>, type: string): Promise<void> {
  let types: string[] | undefined;
  try {
    await fn();
  } catch (err) {
    types = errorTypes(err);
  }
  assert.ok(types !== undefined, `expected ${type}, but the call succeeded`);
  assert.ok(types.includes(type), `expected ${type}, got ${types.join(', ') || 'an error without a Kafka type'}`);
}

describe('bad input against one broker', { timeout: 150_000 }, () => {
  const fx = useCluster({ brokers: 1 });
  let port: number;
  const healthTopic = randomTopic('health');
  const crcTopic = randomTopic('crc');

  const healthy = async (): Promise<void> => {
    assert.ok(fx.cluster.isRunning(1), 'the broker process is alive');
    await assertHealthy(fx.cluster.bootstrap, healthTopic);
  };

  /** Runs `action`, then waits for a new broker log line matching `explains`. */
  const logged = async (explains: RegExp, action: () => Promise<void>): Promise<void> => {
    const mark = fx.cluster.logMark(1);
    await action();
    await fx.cluster.waitFor(() => explains.test(fx.cluster.logsSince(1, mark)), {
      timeoutMs: 3000,
      what: `a broker log line matching ${String(explains)}`,
    });
  };

  /** Sends `bytes` on a fresh connection; true when the broker closes it within `ms` without answering. */
  const closedWithoutAnswer = async (bytes: Buffer, ms = 3000): Promise<boolean> => {
    const conn = await RawConnection.connect(port);
    try {
      await conn.writeRaw(bytes);
      const closed = await conn.waitClosed(ms);
      const answered = await conn.nextFrame(1).then(() => true, () => false);
      return closed && !answered;
    } finally {
      conn.destroy();
    }
  };

  const frame = (apiKey: number, apiVersion: number, body: Buffer = Buffer.alloc(0)): Buffer => {
    const payload = new WireWriter().int16(apiKey).int16(apiVersion).int32(7).string('sk-bad-input').raw(body).build();
    return new WireWriter().int32(payload.length).raw(payload).build();
  };

  before(async () => {
    port = fx.cluster.broker(1).port;
    await fx.admin.createTopics({
      topics: [
        { topic: healthTopic, numPartitions: 1, replicationFactor: 1 },
        { topic: crcTopic, numPartitions: 1, replicationFactor: 1 },
      ],
      waitForLeaders: true,
    });
  });

  /** Sends one frame and requires the broker to close the connection (logging why) or to answer it. */
  const closedOrAnswered = async (bytes: Buffer): Promise<void> => {
    const mark = fx.cluster.logMark(1);
    const conn = await RawConnection.connect(port);
    try {
      await conn.writeRaw(bytes);
      const closed = await conn.waitClosed(5000);
      const answered = await conn.nextFrame(1).then(() => true, () => false);
      assert.ok(closed || answered, 'the broker closed the connection or answered');
      if (closed && !answered) {
        await fx.cluster.waitFor(() => /clos|invalid|malformed|unknown|unsupported/i.test(fx.cluster.logsSince(1, mark)), {
          timeoutMs: 3000,
          what: 'a log line explaining why the connection was closed',
        });
      }
    } finally {
      conn.destroy();
    }
  };

  test('random bytes in a frame: closed or answered, never hangs; broker stays healthy', async () => {
    await fx.cluster.guard(async () => {
      const body = randomBytes(1020);
      await closedOrAnswered(Buffer.concat([new WireWriter().int32(body.length).build(), body]));
      await healthy();
    });
  });

  test('a valid Produce v3 header followed by random bytes: closed or answered; broker stays healthy', async () => {
    await fx.cluster.guard(async () => {
      for (let i = 0; i < 5; i++) await closedOrAnswered(frame(API.produce, 3, randomBytes(200 + i * 100)));
      await healthy();
    });
  });

  test('a truncated frame followed by close leaves the broker healthy', async () => {
    await fx.cluster.guard(async () => {
      const conn = await RawConnection.connect(port);
      const full = frame(API.metadata, 1, new WireWriter().int32(-1).build());
      await conn.writeRaw(full.subarray(0, full.length - 3));
      conn.end();
      assert.ok(await conn.waitClosed(5000), 'the broker finished the half-closed connection');
      conn.destroy();
      await healthy();
    });
  });

  test('a 2 GB size prefix closes the connection at once without buffering it', async () => {
    await fx.cluster.guard(async () => {
      const pid = fx.cluster.broker(1).pid;
      const rssBefore = rssKiB(pid);
      await logged(/too large|exceed|size|socket\.request\.max\.bytes|2147483647/i, async () => {
        const prefix = new WireWriter().int32(0x7fffffff).build();
        assert.ok(await closedWithoutAnswer(Buffer.concat([prefix, Buffer.alloc(64 * 1024)])), 'closed within 3 s');
      });
      const rssAfter = rssKiB(pid);
      assert.ok(rssAfter < 512 * 1024, `broker RSS ${rssAfter} KiB stays sane`);
      assert.ok(rssAfter - rssBefore < 100 * 1024, `RSS grew by ${rssAfter - rssBefore} KiB`);
      await healthy();
    });
  });

  test('Produce v3 with a flipped byte in the batch gets CORRUPT_MESSAGE and appends nothing', async () => {
    await fx.cluster.guard(async () => {
      const conn = await RawConnection.connect(port);
      try {
        const produce = async (batch: Buffer): Promise<{ errorCode: number; baseOffset: number }> => {
          const [r, ...rest] = parseProduceV3Response(await conn.request(API.produce, 3, produceV3Body(crcTopic, 0, batch)));
          assert.equal(rest.length, 0);
          assert.ok(r !== undefined && r.topic === crcTopic && r.partition === 0);
          return { errorCode: r.errorCode, baseOffset: r.baseOffset };
        };
        const record = (v: string): Buffer => buildRecordBatch([{ key: Buffer.from('k'), value: Buffer.from(v), headers: [['h', Buffer.from('x')]] }]);
        assert.deepEqual(await produce(record('good-0')), { errorCode: 0, baseOffset: 0 }, 'a correct hand-built batch is accepted');
        const bad = record('bad-1');
        bad.writeUInt8(bad.readUInt8(bad.length - 2) ^ 0x5a, bad.length - 2);
        await logged(/crc|corrupt/i, async () => {
          assert.equal((await produce(bad)).errorCode, ERROR.CORRUPT_MESSAGE);
        });
        assert.deepEqual(await produce(record('good-2')), { errorCode: 0, baseOffset: 1 }, 'the corrupt batch took no offset');
        // A batch spanning more offsets than it has records (the shape compaction leaves) is not a producer's batch.
        const gappy = record('gappy-3');
        gappy.writeInt32BE(4, 23); // lastOffsetDelta
        gappy.writeUInt32BE(crc32c(gappy.subarray(21)), 17);
        assert.equal((await produce(gappy)).errorCode, ERROR.INVALID_RECORD);
        assert.deepEqual(await produce(record('good-4')), { errorCode: 0, baseOffset: 2 }, 'the refused batch took no offset');
        // Only the coordinators write internal topics (Kafka refuses client appends with INVALID_TOPIC_EXCEPTION).
        const [internal] = parseProduceV3Response(await conn.request(API.produce, 3, produceV3Body('__consumer_offsets', 0, record('forged'))));
        assert.equal(internal?.errorCode, ERROR.INVALID_TOPIC_EXCEPTION);
      } finally {
        conn.destroy();
      }
      await healthy();
    });
  });

  test('an unknown API key (999) closes the connection without a response', async () => {
    await fx.cluster.guard(async () => {
      await logged(/999|unknown api|unsupported|api key/i, async () => {
        assert.ok(await closedWithoutAnswer(frame(999, 0)));
      });
      await healthy();
    });
  });

  test('Metadata v99 closes the connection without a response', async () => {
    await fx.cluster.guard(async () => {
      // Metadata v9+ uses the flexible request header (v2): client id, then an empty tagged-field section.
      await logged(/unsupported|not supported/i, async () => {
        assert.ok(await closedWithoutAnswer(frame(API.metadata, 99, Buffer.from([0, 0]))));
      });
      await healthy();
    });
  });

  test('ApiVersions v99 is answered with UNSUPPORTED_VERSION in a v0 body; the connection stays usable', async () => {
    await fx.cluster.guard(async () => {
      const conn = await RawConnection.connect(port);
      try {
        const r = await conn.request(API.apiVersions, 99, Buffer.alloc(0), { flexibleHeader: true });
        assert.equal(r.int16(), ERROR.UNSUPPORTED_VERSION);
        const keys = r.array((x) => ({ key: x.int16(), min: x.int16(), max: x.int16() }));
        assert.equal(r.remaining, 0, 'a v0 body: no throttle_time_ms, no tagged fields');
        const own = keys.find((k) => k.key === API.apiVersions);
        assert.ok(own !== undefined && own.min === 0 && own.max >= 3, `ApiVersions range in ${JSON.stringify(keys)}`);
        const v0 = await conn.request(API.apiVersions, 0, Buffer.alloc(0));
        assert.equal(v0.int16(), 0, 'ApiVersions v0 on the same connection succeeds');
        assert.ok(v0.array((x) => [x.int16(), x.int16(), x.int16()]).length > 5);
      } finally {
        conn.destroy();
      }
      await healthy();
    });
  });

  test('CreateTopics with invalid names gets INVALID_TOPIC_EXCEPTION and writes nothing', async () => {
    await fx.cluster.guard(async () => {
      for (const name of ['bad name!', 'x'.repeat(250)]) {
        const shown = name.slice(0, 40);
        await logged(new RegExp(`(illegal|invalid|too long).*${shown}|${shown}.*(illegal|invalid|too long)`, 'i'), async () => {
          await rejectsWith(
            async () => await fx.admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 1 }] }),
            'INVALID_TOPIC_EXCEPTION',
          );
        });
        assert.equal(await fx.cluster.zkClient.exists(`/brokers/topics/${name}`).catch(() => undefined), undefined);
      }
      await healthy();
    });
  });

  test('retention.ms=abc gets INVALID_CONFIG on CreateTopics and AlterConfigs', async () => {
    await fx.cluster.guard(async () => {
      const topic = randomTopic('badcfg');
      await logged(/retention\.ms|invalid config|INVALID_CONFIG/i, async () => {
        await rejectsWith(
          async () =>
            await fx.admin.createTopics({
              topics: [{ topic, numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: 'abc' }] }],
            }),
          'INVALID_CONFIG',
        );
      });
      assert.equal(await fx.cluster.zkClient.exists(`/brokers/topics/${topic}`), undefined, 'no topic node written');
      await logged(/retention\.ms|invalid config|INVALID_CONFIG/i, async () => {
        await rejectsWith(
          async () =>
            await fx.admin.alterConfigs({
              validateOnly: false,
              resources: [{ type: ConfigResourceTypes.TOPIC, name: healthTopic, configEntries: [{ name: 'retention.ms', value: 'abc' }] }],
            }),
          'INVALID_CONFIG',
        );
      });
      assert.deepEqual(await fx.cluster.zkClient.getJson(`/config/topics/${healthTopic}`), { version: 1, config: {} });
      await healthy();
    });
  });
});

describe('broker startup with a bad configuration', { timeout: 90_000 }, () => {
  let dir: string;

  before(() => {
    dir = makeTempDir('badcfg');
  });

  after(() => {
    removeTempDir(dir);
  });

  const config = async (name: string, extra: Record<string, string>): Promise<string> => {
    const port = await freePort();
    const file = path.join(dir, `${name}.properties`);
    writeProperties(file, {
      'broker.id': '1',
      listeners: `PLAINTEXT://127.0.0.1:${port}`,
      'log.dirs': path.join(dir, `${name}-logs`),
      'streamkeeper.cluster.secret': randomBytes(8).toString('hex'),
      ...extra,
    });
    return file;
  };

  test('an unknown config key exits non-zero and names the key', async () => {
    const zkPort = await freePort();
    const file = await config('unknown-key', { 'zookeeper.connect': `127.0.0.1:${zkPort}` });
    const log = path.join(dir, 'unknown-key.log');
    const res = await runBrokerToExit(file, log, ['--override', 'no.such.setting=1'], 20_000);
    assert.equal(res.timedOut, false, `still running after 20 s:\n${res.output}`);
    assert.notEqual(res.code, 0, 'non-zero exit');
    assert.match(res.output, /no\.such\.setting/);
  });

  test('zookeeper.connect pointing at a closed port exits with a clear message in bounded time', async () => {
    const zkPort = await freePort();
    const file = await config('closed-zk', {
      'zookeeper.connect': `127.0.0.1:${zkPort}`,
      'zookeeper.connection.timeout.ms': '2000',
      'zookeeper.session.timeout.ms': '4000',
    });
    const log = path.join(dir, 'closed-zk.log');
    const res = await runBrokerToExit(file, log, [], 30_000);
    assert.equal(res.timedOut, false, `still running after 30 s:\n${res.output}`);
    assert.notEqual(res.code, 0, 'non-zero exit');
    assert.match(res.output, /zookeeper/i);
    assert.match(res.output, new RegExp(`${zkPort}|connect|timed? ?out`, 'i'));
    assert.ok(fs.existsSync(log));
  });
});
