import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/cli/args.js';
import { parseBootstrap, parseConsumerPerfArgs, parseProducerPerfArgs } from '../../src/cli/perf/perf-options.js';

const REQUIRED = ['--topic', 't', '--num-records', '1000', '--record-size', '100', '--throughput', '-1'];

function usageError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof UsageError && message.test(err.message));
}

describe('perf produce options', () => {
  test('required options and Kafka-like defaults', () => {
    assert.deepEqual(parseProducerPerfArgs(REQUIRED), {
      topic: 't',
      recordSize: 100,
      numRecords: 1000,
      throughput: -1,
      acks: -1,
      batchSize: 16384,
      lingerMs: 0,
      compression: 'none',
      bootstrap: [{ host: 'localhost', port: 9092 }],
      maxInFlight: 5,
      requestTimeoutMs: 30000,
    });
  });

  test('every option, in both spellings', () => {
    const o = parseProducerPerfArgs([
      '--topic=x', '--num-records', '5', '--record-size=7', '--throughput', '250', '--acks', '1', '--batch-size', '1024',
      '--linger-ms', '10', '--compression', 'gzip', '--bootstrap-server', 'a:1,[::1]:9093', '--max-in-flight', '2',
      '--request-timeout-ms', '500',
    ]);
    assert.deepEqual(o, {
      topic: 'x', recordSize: 7, numRecords: 5, throughput: 250, acks: 1, batchSize: 1024, lingerMs: 10, compression: 'gzip',
      bootstrap: [{ host: 'a', port: 1 }, { host: '::1', port: 9093 }], maxInFlight: 2, requestTimeoutMs: 500,
    });
  });

  test('acks accepts 0, 1, all and -1', () => {
    for (const [text, acks] of [['0', 0], ['1', 1], ['all', -1], ['-1', -1]] as const) {
      assert.equal(parseProducerPerfArgs([...REQUIRED, '--acks', text])?.acks, acks);
    }
    usageError(() => parseProducerPerfArgs([...REQUIRED, '--acks', '2']), /--acks must be 0, 1, all or -1, got '2'/);
  });

  test('mistakes are usage errors naming the option', () => {
    usageError(() => parseProducerPerfArgs(REQUIRED.slice(2)), /missing required option --topic/);
    usageError(() => parseProducerPerfArgs(['--topic', 't', '--record-size', '1', '--throughput', '-1']), /missing required option --num-records/);
    usageError(() => parseProducerPerfArgs(['--topic', 't', '--record-size', '1', '--num-records', '1']), /missing required option --throughput/);
    usageError(() => parseProducerPerfArgs([...REQUIRED.slice(0, 6), '--throughput', '0']), /--throughput must be positive, or -1/);
    usageError(() => parseProducerPerfArgs([...REQUIRED.slice(0, 6), '--throughput', '-2']), /--throughput must be at least -1/);
    usageError(() => parseProducerPerfArgs([...REQUIRED, '--compression', 'zstd']), /--compression must be one of none, gzip/);
    usageError(() => parseProducerPerfArgs([...REQUIRED, '--record-size', '5']), /--record-size given more than once/);
    usageError(() => parseProducerPerfArgs([...REQUIRED, '--group', 'g']), /unknown option --group/);
    usageError(() => parseProducerPerfArgs([...REQUIRED, '--linger-ms', 'soon']), /--linger-ms needs a whole number/);
  });

  test('--help wins over missing options', () => {
    assert.equal(parseProducerPerfArgs(['--help']), undefined);
    assert.equal(parseProducerPerfArgs(['--topic', 't', '-h']), undefined);
  });
});

describe('perf consume options', () => {
  test('defaults', () => {
    assert.deepEqual(parseConsumerPerfArgs(['--topic', 't', '--messages', '20000']), {
      topic: 't', messages: 20000, bootstrap: [{ host: 'localhost', port: 9092 }], fetchMaxBytes: 52428800, fetchSize: 1048576, timeoutMs: 10000, maxInFlight: 5,
    });
  });

  test('options and mistakes', () => {
    const o = parseConsumerPerfArgs(['--topic', 't', '--messages', '3', '--fetch-max-bytes', '1000', '--fetch-size', '500', '--timeout-ms', '50', '--bootstrap-server', 'h:2', '--max-in-flight', '1']);
    assert.deepEqual(o, { topic: 't', messages: 3, bootstrap: [{ host: 'h', port: 2 }], fetchMaxBytes: 1000, fetchSize: 500, timeoutMs: 50, maxInFlight: 1 });
    usageError(() => parseConsumerPerfArgs(['--topic', 't']), /missing required option --messages/);
    usageError(() => parseConsumerPerfArgs(['--topic', 't', '--messages', '0']), /--messages must be at least 1/);
    usageError(() => parseConsumerPerfArgs(['--topic', 't', '--messages', '1', '--fetch-size', '0']), /--fetch-size must be at least 1/);
    usageError(() => parseConsumerPerfArgs(['--topic', 't', '--messages', '1', '--acks', '1']), /unknown option --acks/);
    assert.equal(parseConsumerPerfArgs(['--help']), undefined);
  });
});

describe('bootstrap servers', () => {
  test('host:port lists, spaces and empty entries ignored', () => {
    assert.deepEqual(parseBootstrap(' a:1 , b.example:65535,,', 'u'), [{ host: 'a', port: 1 }, { host: 'b.example', port: 65535 }]);
  });

  test('a missing or bad port is refused', () => {
    for (const bad of ['a', 'a:', 'a:0', 'a:65536', ':9092', '::1:9092', 'a:b', '']) {
      usageError(() => parseBootstrap(bad, 'u'), /--bootstrap-server needs host:port/);
    }
  });
});
