import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { checkAndWriteMetaProperties, readMetaProperties } from '../../src/storage/meta-properties.js';
import { InconsistentBrokerIdError, InconsistentClusterIdError } from '../../src/storage/storage-errors.js';
import { useTempDir } from './test-env.js';

describe('meta.properties', () => {
  const tmp = useTempDir();

  test('written on first start in Kafka format and accepted again', async () => {
    const root = tmp();
    await checkAndWriteMetaProperties(root, { brokerId: 3, clusterId: 'abcDEF123' }, new Date(0));
    const text = await fs.promises.readFile(path.join(root, 'meta.properties'), 'utf8');
    assert.match(text, /^#\n#.*\nversion=0\nbroker.id=3\ncluster.id=abcDEF123\n$/);
    assert.deepEqual(await readMetaProperties(root), { version: 0, brokerId: 3, clusterId: 'abcDEF123' });
    await checkAndWriteMetaProperties(root, { brokerId: 3, clusterId: 'abcDEF123' }, new Date(0));
  });

  test('another cluster id is refused with Kafka’s message', async () => {
    const root = tmp();
    await checkAndWriteMetaProperties(root, { brokerId: 1, clusterId: 'old' }, new Date(0));
    await assert.rejects(
      checkAndWriteMetaProperties(root, { brokerId: 1, clusterId: 'new' }, new Date(0)),
      (err: unknown) =>
        err instanceof InconsistentClusterIdError &&
        err.kafkaError === 'INCONSISTENT_CLUSTER_ID' &&
        err.message.startsWith("The Cluster ID new doesn't match stored clusterId Some(old) in meta.properties."),
    );
  });

  test('another broker id is refused with Kafka’s message', async () => {
    const root = tmp();
    await checkAndWriteMetaProperties(root, { brokerId: 1, clusterId: 'c' }, new Date(0));
    await assert.rejects(
      checkAndWriteMetaProperties(root, { brokerId: 2, clusterId: 'c' }, new Date(0)),
      (err: unknown) =>
        err instanceof InconsistentBrokerIdError && err.message.startsWith("Configured broker.id 2 doesn't match stored broker.id 1 in meta.properties."),
    );
  });

  test('a file without cluster.id (older brokers) gets it added', async () => {
    const root = tmp();
    await fs.promises.writeFile(path.join(root, 'meta.properties'), 'version=0\nbroker.id=4\n');
    await checkAndWriteMetaProperties(root, { brokerId: 4, clusterId: 'c1' }, new Date(0));
    assert.deepEqual(await readMetaProperties(root), { version: 0, brokerId: 4, clusterId: 'c1' });
  });
});
