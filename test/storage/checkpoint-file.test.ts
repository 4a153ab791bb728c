import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { formatCheckpoint, parseCheckpoint, readCheckpointFile, writeCheckpointFile } from '../../src/storage/checkpoint-file.js';
import { parseTopicPartitionKey, topicPartitionKey } from '../../src/storage/topic-partition.js';
import { useTempDir } from './test-env.js';

describe('checkpoint files', () => {
  const tmp = useTempDir();

  test("Kafka's text format: version, count, 'topic partition offset' lines", () => {
    const offsets = new Map([
      [topicPartitionKey('orders', 0), 42],
      [topicPartitionKey('my-topic-with-dashes', 12), 0],
    ]);
    const text = formatCheckpoint(offsets);
    assert.equal(text, '0\n2\norders 0 42\nmy-topic-with-dashes 12 0\n');
    assert.deepEqual(parseCheckpoint(text, 'f'), offsets);
    assert.deepEqual(parseCheckpoint('0\n0\n', 'f'), new Map());
  });

  test('malformed files are rejected with the file named', () => {
    assert.throws(() => parseCheckpoint('1\n0\n', '/x/cp'), /Unrecognized version of the checkpoint file \(\/x\/cp\): 1/);
    assert.throws(() => parseCheckpoint('0\n2\na 0 1\n', '/x/cp'), /Expected 2 entries/);
    assert.throws(() => parseCheckpoint('0\n1\na zero 1\n', '/x/cp'), /Malformed line in checkpoint file \(\/x\/cp\): 'a zero 1'/);
  });

  test('written atomically and read back; a missing file is empty', async () => {
    const root = tmp();
    const file = path.join(root, 'recovery-point-offset-checkpoint');
    assert.deepEqual(await readCheckpointFile(file), new Map());
    await writeCheckpointFile(file, new Map([['t-1', 5]]));
    await writeCheckpointFile(file, new Map([['t-1', 9]]));
    assert.deepEqual(await readCheckpointFile(file), new Map([['t-1', 9]]));
    assert.deepEqual(await fs.promises.readdir(root), ['recovery-point-offset-checkpoint']);
  });

  test('topic-partition keys split at the last dash', () => {
    assert.deepEqual(parseTopicPartitionKey('a-b-c-7'), { topic: 'a-b-c', partition: 7 });
    assert.equal(parseTopicPartitionKey('no_partition'), null);
    assert.equal(parseTopicPartitionKey('t-x'), null);
  });
});
