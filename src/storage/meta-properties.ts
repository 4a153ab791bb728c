import fs from 'node:fs';
import path from 'node:path';
import { isNotFound, writeFileAtomically } from './file-io.js';
import { InconsistentBrokerIdError, InconsistentClusterIdError } from './storage-errors.js';

export const META_PROPERTIES_FILE = 'meta.properties';

export interface MetaProperties {
  version: number;
  brokerId?: number;
  clusterId?: string;
}

/** Parse Java properties text (key=value lines; '#' and '!' comments). */
export function parseProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const eq = line.search(/[=:]/);
    if (eq < 0) props.set(line, '');
    else props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return props;
}

/** Read `<logDir>/meta.properties`; null when absent. */
export async function readMetaProperties(logDir: string): Promise<MetaProperties | null> {
  let text: string;
  try {
    text = await fs.promises.readFile(path.join(logDir, META_PROPERTIES_FILE), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const props = parseProperties(text);
  const meta: MetaProperties = { version: Number(props.get('version') ?? '0') };
  const brokerId = props.get('broker.id');
  if (brokerId !== undefined) meta.brokerId = Number(brokerId);
  const clusterId = props.get('cluster.id');
  if (clusterId !== undefined) meta.clusterId = clusterId;
  return meta;
}

export async function writeMetaProperties(logDir: string, meta: { brokerId: number; clusterId: string }, now: Date): Promise<void> {
  const text = `#\n#${now.toString()}\nversion=0\nbroker.id=${meta.brokerId}\ncluster.id=${meta.clusterId}\n`;
  await writeFileAtomically(path.join(logDir, META_PROPERTIES_FILE), logDir, text);
}

/**
 * Kafka's start-up check of a log dir: a stored cluster.id or broker.id that differs from ours is fatal (with Kafka's
 * InconsistentClusterIdException / InconsistentBrokerIdException messages); otherwise the file is (re)written.
 */
export async function checkAndWriteMetaProperties(logDir: string, expected: { brokerId: number; clusterId: string }, now: Date): Promise<void> {
  const stored = await readMetaProperties(logDir);
  if (stored !== null) {
    if (stored.version !== 0) {
      throw new InconsistentBrokerIdError(
        `Found unexpected version in ${path.join(logDir, META_PROPERTIES_FILE)}. ZK-based brokers only support version 0 (which is implicit when the \`version\` field is missing).`,
      );
    }
    if (stored.clusterId !== undefined && stored.clusterId !== expected.clusterId) {
      throw new InconsistentClusterIdError(
        `The Cluster ID ${expected.clusterId} doesn't match stored clusterId Some(${stored.clusterId}) in meta.properties. The broker is trying to join the wrong cluster. Configured zookeeper.connect may be wrong.`,
      );
    }
    if (stored.brokerId !== undefined && stored.brokerId !== expected.brokerId) {
      throw new InconsistentBrokerIdError(
        `Configured broker.id ${expected.brokerId} doesn't match stored broker.id ${stored.brokerId} in meta.properties. If you moved your data, make sure your configured broker.id matches. If you intend to create a new broker, you should remove all data in your data directories (log.dirs).`,
      );
    }
    if (stored.clusterId === expected.clusterId && stored.brokerId === expected.brokerId) return;
  }
  await writeMetaProperties(logDir, expected, now);
}
