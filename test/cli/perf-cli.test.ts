// The compiled CLI's `perf produce` and `perf consume` against a real 3-broker cluster: 20,000 records of 100 bytes
// with acks=all to an RF=3 topic, all acknowledged, all read back, and ListOffsets agrees on the count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { kcat } from '../harness/kcat.js';
import { cliPath, randomTopic } from '../harness/paths.js';
import { runCommand, type CommandResult } from '../harness/run-command.js';

const RECORDS = 20_000;
const PARTITIONS = 3;

const cli = async (args: readonly string[]): Promise<CommandResult> => await runCommand(process.execPath, [cliPath, ...args], { timeoutMs: 30_000 });
const output = (r: CommandResult): string => `exit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

describe('perf produce / perf consume', { timeout: 120_000 }, () => {
  const fx = useCluster({ brokers: 3 });
  const topic = randomTopic('perf');

  test(`perf produce acknowledges ${RECORDS} records with acks=all, perf consume reads them all`, async () => {
    await fx.cluster.guard(async () => {
      await fx.admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
        waitForLeaders: true,
      });
      const bootstrap = fx.cluster.bootstrap[1] ?? '';

      const produced = await cli(['perf', 'produce', '--topic', topic, '--num-records', String(RECORDS), '--record-size', '100', '--throughput', '-1', '--acks', 'all', '--bootstrap-server', bootstrap]);
      assert.equal(produced.code, 0, output(produced));
      const latency = String.raw`[\d.]+ ms avg latency, [\d.]+ ms max latency, [\d.]+ ms 50th, [\d.]+ ms 95th, [\d.]+ ms 99th, [\d.]+ ms 99\.9th\.`;
      assert.match(produced.stdout, new RegExp(String.raw`^${RECORDS} records sent, [\d.]+ records/sec \([\d.]+ MB/sec\), ${latency}$`, 'm'), output(produced));
      assert.match(produced.stdout, new RegExp(`^${RECORDS} of ${RECORDS} records acknowledged \\(acks=all\\), 0 failed\\.$`, 'm'), output(produced));

      // ListOffsets: the records are in the log, spread over every partition round robin by batch.
      const offsets = await fx.admin.fetchTopicOffsets(topic);
      assert.equal(offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0), RECORDS, JSON.stringify(offsets));
      assert.ok(offsets.every((p) => Number(p.high) > RECORDS / PARTITIONS / 2), `each partition has its share: ${JSON.stringify(offsets)}`);

      const consumed = await cli(['perf', 'consume', '--topic', topic, '--messages', String(RECORDS), '--bootstrap-server', bootstrap, '--timeout-ms', '10000']);
      assert.equal(consumed.code, 0, output(consumed));
      assert.match(consumed.stdout, new RegExp(String.raw`^${RECORDS} records consumed, [\d.]+ MB, [\d.]+ records/sec \([\d.]+ MB/sec\), \d+ ms to first record, [\d.]+ s from ${PARTITIONS} partitions\.$`, 'm'), output(consumed));

      // librdkafka, checking CRCs, reads the same number of 100-byte values.
      const read = await kcat(['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%S\n', '-X', 'check.crcs=true'], { timeoutMs: 30_000 });
      assert.equal(read.code, 0, read.stderr);
      const sizes = read.stdout.trim().split('\n');
      assert.equal(sizes.length, RECORDS);
      assert.ok(sizes.every((s) => s === '100'), 'every value is 100 bytes');
    });
  });

  test('perf consume gives up after --timeout-ms without records and says how many it read', async () => {
    await fx.cluster.guard(async () => {
      const r = await cli(['perf', 'consume', '--topic', topic, '--messages', String(RECORDS + 1), '--bootstrap-server', fx.cluster.bootstrap[0] ?? '', '--timeout-ms', '1500']);
      assert.equal(r.code, 1, output(r));
      assert.match(r.stdout, new RegExp(`^timed out: no record for 1500 ms; ${RECORDS} of ${RECORDS + 1} records consumed\\.$`, 'm'), output(r));
    });
  });
});
