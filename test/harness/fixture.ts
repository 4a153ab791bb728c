import { after, before } from 'node:test';

import type { Admin, Kafka } from 'kafkajs';

import { newKafka } from './clients.js';
import { startCluster, type ClusterOptions, type TestCluster } from './cluster.js';

export interface ClusterFixture {
  readonly cluster: TestCluster;
  /** A kafkajs client on the cluster's bootstrap servers. */
  readonly kafka: Kafka;
  /** A connected kafkajs admin client. */
  readonly admin: Admin;
}

/**
 * Registers `before`/`after` hooks in the current `describe`: one cluster for all its tests, always stopped
 * (brokers, ZooKeeper, temp dirs) even when a test or the startup fails.
 */
export function useCluster(opts: ClusterOptions): ClusterFixture {
  let state: ClusterFixture | undefined;
  let cluster: TestCluster | undefined;
  const get = (): ClusterFixture => {
    if (state === undefined) throw new Error('the cluster fixture did not start');
    return state;
  };
  before(async () => {
    cluster = await startCluster(opts);
    const kafka = newKafka(cluster.bootstrap);
    const admin = kafka.admin();
    await admin.connect();
    state = { cluster, kafka, admin };
  });
  after(async () => {
    await state?.admin.disconnect().catch(() => undefined);
    await cluster?.stop();
  });
  return {
    get cluster() {
      return get().cluster;
    },
    get kafka() {
      return get().kafka;
    },
    get admin() {
      return get().admin;
    },
  };
}
