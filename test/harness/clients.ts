import { randomBytes } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';

import { KafkajsReader } from './kafkajs-reader.js';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

/** A kafkajs client for the cluster, silent (failures surface as thrown errors), with short retries. */
export function newKafka(bootstrap: readonly string[], clientId = 'sk-integration'): Kafka {
  return new Kafka({
    clientId,
    brokers: [...bootstrap],
    logLevel: process.env['KAFKAJS_LOG'] === undefined ? logLevel.NOTHING : logLevel.DEBUG,
    connectionTimeout: 3000,
    requestTimeout: 15_000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

/**
 * Proves the broker still works for a well-behaved client: a fresh kafkajs producer writes one record to
 * partition 0 of `topic` with acks=-1 and a fresh reader finds it at the acknowledged offset.
 */
export async function assertHealthy(bootstrap: readonly string[], topic: string): Promise<void> {
  const kafka = newKafka(bootstrap, 'sk-health');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = `health-${randomBytes(6).toString('hex')}`;
  try {
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'health', value, partition: 0 }] });
    if (meta === undefined || meta.errorCode !== 0 || meta.baseOffset === undefined) {
      throw new Error(`health produce failed: ${JSON.stringify(meta)}`);
    }
    const offset = Number(meta.baseOffset);
    const reader = await KafkajsReader.connect(bootstrap);
    try {
      const { records } = await reader.readPartition(topic, 0, offset);
      const got = records.find((r) => r.offset === offset);
      if (got?.value?.toString() !== value) {
        throw new Error(`health record at ${topic}-0@${offset} is ${got?.value?.toString() ?? 'missing'}, expected ${value}`);
      }
    } finally {
      await reader.close();
    }
  } finally {
    await producer.disconnect();
  }
}
