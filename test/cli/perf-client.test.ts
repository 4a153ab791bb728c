import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { dealLanes } from '../../src/cli/perf/consumer-perf.js';
import { prepareRequest, RawKafkaClient } from '../../src/cli/perf/raw-kafka-client.js';

describe('fetch lanes', () => {
  test("each leader's partitions go to at most maxInFlight lanes, every partition to exactly one", () => {
    const leaderOf = (p: number): number => p % 4;
    const lanes = dealLanes(Array.from({ length: 30 }, (_, p) => p), leaderOf, 5);
    assert.deepEqual(lanes.flat().sort((a, b) => a - b), Array.from({ length: 30 }, (_, p) => p));
    for (const lane of lanes) assert.equal(new Set(lane.map(leaderOf)).size, 1, `lane ${lane.join(',')} has one leader`);
    for (const leader of [0, 1, 2, 3]) assert.equal(lanes.filter((l) => leaderOf(l[0] as number) === leader).length, 5);
    assert.deepEqual(dealLanes([3, 1, 2], () => 7, 5), [[1], [2], [3]], 'no more lanes than partitions');
    assert.deepEqual(dealLanes([0, 1], () => undefined, 2), [[0], [1]], 'leaderless partitions get lanes too');
  });
});

describe('RawKafkaClient request timeout and abort', () => {
  // A broker that accepts connections and never answers.
  const silent = net.createServer((s) => s.resume());
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  after(() => silent.close());
  const request = prepareRequest(18, 0, {});

  test('an unanswered request fails its connection after timeoutMs; every request on it fails', async () => {
    const client = await RawKafkaClient.connect(port);
    const other = client.send(request);
    await assert.rejects(client.send(request, { timeoutMs: 50 }), /no response within 50 ms/);
    await assert.rejects(other, /no response within 50 ms/);
    assert.equal(client.closed, true);
  });

  test('an abort ends the waiting request at once; an aborted signal sends nothing', async () => {
    const client = await RawKafkaClient.connect(port);
    const stop = new AbortController();
    const waiting = client.send(request, { signal: stop.signal });
    stop.abort();
    await assert.rejects(waiting, /request aborted/);
    const fresh = await RawKafkaClient.connect(port);
    await assert.rejects(fresh.send(request, { signal: AbortSignal.abort() }), /request aborted/);
    assert.equal(fresh.inFlight, 0);
    fresh.close();
  });
});
