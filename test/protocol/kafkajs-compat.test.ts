// Real client bytes: kafkajs 2.2.4's own encoders and decoders (plain JS) against this codec.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { decodeRequest, encodeResponse } from '../../src/protocol/codec.js';
import { buildRecordBatch, decodeRecords, scanBatches } from '../../src/protocol/record-batch.js';

const require = createRequire(import.meta.url);
interface KafkajsRequest { apiKey: number; apiVersion: number; encode(): Promise<unknown> }
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
const frameRequest = require('kafkajs/src/protocol/request.js') as (args: {
  correlationId: number; clientId: string; request: KafkajsRequest;
}) => Promise<{ buffer: Buffer }>;
const load = (path: string): RequestFactory => require(`kafkajs/src/protocol/requests/${path}/request.js`) as RequestFactory;
const decoderOf = (path: string) =>
  (require(`kafkajs/src/protocol/requests/${path}/response.js`) as { decode(b: Buffer): Promise<Record<string, unknown>> }).decode;

async function kafkajsFrame(path: string, args: Record<string, unknown>, correlationId = 1): Promise<Buffer> {
  const encoded = await frameRequest({ correlationId, clientId: 'kafkajs', request: load(path)(args) });
  const all = encoded.buffer;
  assert.equal(all.readInt32BE(0), all.length - 4);
  return all.subarray(4);
}

/** Response bytes after the size prefix and the v0 header's correlation id, as kafkajs decoders expect. */
const payloadOf = (chunks: Buffer[]): Buffer => Buffer.concat(chunks).subarray(8);

describe('kafkajs requests decode', () => {
  test('Produce v3 with a real kafkajs record batch (CRC, headers, timestamps)', async () => {
    const frame = await kafkajsFrame('produce/v3', {
      acks: -1, timeout: 30000, compression: 0,
      topicData: [{
        topic: 'orders',
        partitions: [{ partition: 2, messages: [
          { key: 'k1', value: 'v1', headers: { h: 'x' }, timestamp: 1700000000000 },
          { key: null, value: 'v2', timestamp: 1700000000005 },
        ] }],
      }],
    }, 31);
    const { header, body } = decodeRequest(frame);
    assert.deepEqual(header, { apiKey: 0, apiVersion: 3, correlationId: 31, clientId: 'kafkajs' });
    const produce = body as { acks: number; timeoutMs: number; transactionalId: string | null;
      topicData: Array<{ name: string; partitionData: Array<{ index: number; records: Buffer | null }> }> };
    assert.equal(produce.acks, -1);
    assert.equal(produce.timeoutMs, 30000);
    assert.equal(produce.transactionalId, null);
    const partition = produce.topicData[0]?.partitionData[0];
    assert.equal(produce.topicData[0]?.name, 'orders');
    assert.equal(partition?.index, 2);
    const records = partition?.records;
    assert.ok(records instanceof Buffer);
    const [info] = scanBatches(records);
    assert.equal(info?.recordCount, 2);
    assert.equal(info?.baseTimestamp, 1700000000000);
    assert.equal(info?.maxTimestamp, 1700000000005);
    assert.equal(info?.producerId, -1);
    const recs = decodeRecords(records);
    assert.equal(recs[0]?.key?.toString(), 'k1');
    assert.deepEqual(recs[0]?.headers, [{ key: 'h', value: Buffer.from('x') }]);
    assert.equal(recs[1]?.key, null);
    assert.equal(recs[1]?.value?.toString(), 'v2');
    assert.equal(recs[1]?.timestampDelta, 5);
  });

  test('Metadata v4, JoinGroup v5, OffsetCommit v5, Fetch v11 and ListOffsets v3 requests', async () => {
    const metadata = decodeRequest(await kafkajsFrame('metadata/v4', { topics: ['a', 'b'], allowAutoTopicCreation: false }));
    assert.deepEqual(metadata.body, { topics: [{ name: 'a' }, { name: 'b' }], allowAutoTopicCreation: false });

    const join = decodeRequest(await kafkajsFrame('joinGroup/v5', {
      groupId: 'g', sessionTimeout: 30000, rebalanceTimeout: 60000, memberId: '', protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1, 2]) }],
    }));
    assert.deepEqual(join.body, {
      groupId: 'g', sessionTimeoutMs: 30000, rebalanceTimeoutMs: 60000, memberId: '', groupInstanceId: null,
      protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from([1, 2]) }],
    });

    const commit = decodeRequest(await kafkajsFrame('offsetCommit/v5', {
      groupId: 'g', groupGenerationId: 3, memberId: 'm',
      topics: [{ topic: 't', partitions: [{ partition: 0, offset: '42' }] }],
    }));
    assert.deepEqual(commit.body, {
      groupId: 'g', generationId: 3, memberId: 'm',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, committedMetadata: null }] }],
    });

    const fetch = decodeRequest(await kafkajsFrame('fetch/v11', {
      replicaId: -1, maxWaitTime: 5000, minBytes: 1, maxBytes: 10485760, isolationLevel: 1, sessionId: 0,
      sessionEpoch: -1, rackId: '', topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '7', maxBytes: 1048576 }] }],
    }));
    assert.deepEqual(fetch.body, {
      replicaId: -1, maxWaitMs: 5000, minBytes: 1, maxBytes: 10485760, isolationLevel: 1, sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topic: 't', partitions: [{
        partition: 0, currentLeaderEpoch: -1, fetchOffset: 7n, logStartOffset: -1n, partitionMaxBytes: 1048576,
      }] }],
      forgottenTopicsData: [], rackId: '',
    });

    const list = decodeRequest(await kafkajsFrame('listOffsets/v3', {
      replicaId: -1, isolationLevel: 1, topics: [{ topic: 't', partitions: [{ partition: 0, timestamp: -1 }] }],
    }));
    assert.deepEqual(list.body, {
      replicaId: -1, isolationLevel: 1, topics: [{ name: 't', partitions: [{ partitionIndex: 0, timestamp: -1n }] }],
    });
  });
});

describe('kafkajs decodes our responses', () => {
  test('ApiVersions v2', async () => {
    const chunks = encodeResponse({ apiKey: 18, apiVersion: 2, correlationId: 1 }, {
      apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }],
    });
    const decoded = await decoderOf('apiVersions/v2')(payloadOf(chunks));
    assert.deepEqual(decoded.apiVersions, [{ apiKey: 0, minVersion: 3, maxVersion: 9 }, { apiKey: 18, minVersion: 0, maxVersion: 3 }]);
  });

  test('Metadata v6', async () => {
    const chunks = encodeResponse({ apiKey: 3, apiVersion: 6, correlationId: 1 }, {
      brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      clusterId: 'c1', controllerId: 1,
      topics: [{ name: 't', isInternal: false, partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
    });
    const decoded = await decoderOf('metadata/v6')(payloadOf(chunks));
    assert.deepEqual(decoded.brokers, [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }]);
    assert.equal(decoded.clusterId, 'c1');
    const topics = decoded.topicMetadata as Array<{ topic: string; partitionMetadata: Array<Record<string, unknown>> }>;
    assert.equal(topics[0]?.topic, 't');
    assert.deepEqual(topics[0]?.partitionMetadata[0], {
      partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1], isr: [1], offlineReplicas: [],
    });
  });

  test('Fetch v11 with two batches: kafkajs parses the records', async () => {
    const a = buildRecordBatch({ baseOffset: 10, baseTimestamp: 1000, records: [{ key: 'k', value: 'v0' }, { value: 'v1' }] });
    const b = buildRecordBatch({ baseOffset: 12, baseTimestamp: 2000, records: [{ value: 'v2', headers: [{ key: 'h', value: 'x' }] }] });
    const chunks = encodeResponse({ apiKey: 1, apiVersion: 11, correlationId: 1 }, {
      responses: [{ topic: 't', partitions: [{
        partitionIndex: 0, highWatermark: 13, lastStableOffset: 13, logStartOffset: 0, abortedTransactions: [],
        preferredReadReplica: -1, records: [a, b],
      }] }],
    });
    const decoded = await decoderOf('fetch/v11')(payloadOf(chunks));
    const partition = (decoded.responses as Array<{ partitions: Array<{ highWatermark: string; messages: Array<Record<string, unknown>> }> }>)[0]?.partitions[0];
    assert.equal(partition?.highWatermark, '13');
    const messages = partition?.messages ?? [];
    assert.deepEqual(messages.map((m) => [m.offset, String(m.value)]), [['10', 'v0'], ['11', 'v1'], ['12', 'v2']]);
    assert.equal(String(messages[0]?.key), 'k');
    assert.deepEqual(Object.keys(messages[2]?.headers as object), ['h']);
  });

  test('JoinGroup v5 and Produce v7', async () => {
    const join = await decoderOf('joinGroup/v5')(payloadOf(encodeResponse({ apiKey: 11, apiVersion: 5, correlationId: 1 }, {
      errorCode: 0, generationId: 1, protocolName: 'RoundRobinAssigner', leader: 'm1', memberId: 'm1',
      members: [{ memberId: 'm1', groupInstanceId: null, metadata: Buffer.from([9]) }],
    })));
    assert.equal(join.generationId, 1);
    assert.equal(join.leaderId, 'm1');
    assert.deepEqual((join.members as Array<{ memberMetadata: Buffer }>)[0]?.memberMetadata, Buffer.from([9]));

    const produce = await decoderOf('produce/v7')(payloadOf(encodeResponse({ apiKey: 0, apiVersion: 7, correlationId: 1 }, {
      responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 100, logAppendTimeMs: -1, logStartOffset: 0 }] }],
    })));
    const topics = produce.topics as Array<{ topicName: string; partitions: Array<Record<string, unknown>> }>;
    assert.equal(topics[0]?.topicName, 't');
    assert.equal(topics[0]?.partitions[0]?.baseOffset, '100');
  });
});
