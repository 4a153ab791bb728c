// ProducerPerf against an in-process stand-in broker: round robin by batch, the in-flight limit per connection,
// retries of retriable errors after a metadata refresh, and records counted as failed when retries run out.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { perfClock } from '../../src/cli/perf/perf-command.js';
import { PerfCluster } from '../../src/cli/perf/perf-cluster.js';
import type { ProducerPerfOptions } from '../../src/cli/perf/perf-options.js';
import { buildPerfBatch } from '../../src/cli/perf/produce-requests.js';
import { MAX_RETRIES, ProducerPerf } from '../../src/cli/perf/producer-perf.js';
import { StandInBroker, standInTopology } from './stand-in-broker.js';

const TOPIC = 'perf-fake';
/** Exactly 100 records of 10 bytes. */
const FULL_BATCH_BYTES = buildPerfBatch(Buffer.alloc(10), 100, 'none', 0).length;

async function run(broker: StandInBroker, overrides: Partial<ProducerPerfOptions> = {}): Promise<ProducerPerf> {
  const port = await broker.listen();
  const options: ProducerPerfOptions = {
    topic: TOPIC, recordSize: 10, numRecords: 1000, throughput: -1, acks: -1, batchSize: FULL_BATCH_BYTES, lingerMs: 0,
    compression: 'none', bootstrap: [{ host: '127.0.0.1', port }], maxInFlight: 5, requestTimeoutMs: 1000, ...overrides,
  };
  const cluster = new PerfCluster(TOPIC, options.bootstrap, perfClock);
  const perf = new ProducerPerf(options, perfClock, cluster);
  try {
    await perf.run();
  } finally {
    cluster.close();
  }
  return perf;
}

describe('ProducerPerf', () => {
  const brokers: StandInBroker[] = [];
  const broker = (): StandInBroker => {
    // One broker, partitions 0 and 1, both led by it.
    const b = new StandInBroker(standInTopology(TOPIC, [[0, 1], [1, 1]]));
    brokers.push(b);
    return b;
  };
  after(() => {
    for (const b of brokers) b.server.close();
  });

  test('full batches alternate between the partitions, never more than --max-in-flight outstanding', async () => {
    const b = broker();
    b.delayMs = 20;
    const perf = await run(b, { maxInFlight: 2 });
    assert.deepEqual([...b.records].sort(), [[0, 500], [1, 500]], '10 batches of 100 records, 5 to each partition');
    assert.equal(b.maxPending, 2);
    assert.equal(perf.stats.records, 1000);
    assert.equal(perf.stats.latency.count, 1000);
    assert.ok(perf.stats.latency.percentileMs(0.5) >= 15, `latency includes the broker's 20 ms: ${perf.stats.latency.percentileMs(0.5)}`);
    assert.equal(perf.stats.failedRecords, 0);
  });

  test('a retriable error sends the batch again after asking for metadata', async () => {
    const b = broker();
    b.errors.set(1, [6, 6]);
    const perf = await run(b);
    assert.equal(perf.stats.records, 1000);
    assert.equal(perf.stats.failedRecords, 0);
    assert.deepEqual([...perf.stats.errors], [['NOT_LEADER_OR_FOLLOWER', 2]]);
    assert.deepEqual([...b.records].sort(), [[0, 500], [1, 500]]);
    assert.ok(b.metadataRequests >= 2, `metadata refreshed: ${b.metadataRequests} requests`);
  });

  test('retries run out, and a non-retriable error fails at once: those records count as failed', async () => {
    const retriable = broker();
    retriable.always.set(1, 6);
    const a = await run(retriable);
    assert.equal(a.stats.records, 500);
    assert.equal(a.stats.failedRecords, 500);
    assert.deepEqual([...a.stats.errors], [['NOT_LEADER_OR_FOLLOWER', 5 * (1 + MAX_RETRIES)]]);

    const fatal = broker();
    fatal.always.set(0, 87);
    const f = await run(fatal);
    assert.equal(f.stats.records, 500);
    assert.equal(f.stats.failedRecords, 500);
    assert.deepEqual([...f.stats.errors], [['INVALID_RECORD', 5]]);
  });

  test('acks=0: requests are written without waiting for answers, none are counted as latency', async () => {
    const b = broker();
    const perf = await run(b, { acks: 0 });
    assert.equal(perf.stats.records, 1000);
    assert.equal(perf.stats.latency.count, 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal([...b.records.values()].reduce((x, y) => x + y, 0), 1000);
  });
});
