import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import winston from 'winston';
import type { Logger } from '../../src/util/logger.js';
import { ManualClock } from '../../src/util/clock.js';
import { defaultLogConfig } from '../../src/storage/log-config.js';
import type { LogConfig } from '../../src/storage/log-config.js';
import { PartitionLog } from '../../src/storage/partition-log.js';
import type { PartitionLogOptions } from '../../src/storage/partition-log.js';
/** Test helper: temp dirs and a silent logger. Not a test file. */

export const silentLogger: Logger = winston.createLogger({ silent: true });

export async function tempDir(prefix = 'sk-storage-'): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.promises.rm(dir, { recursive: true, force: true });
}


export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...defaultLogConfig, fileDeleteDelayMs: 0, ...overrides };
}

/** Open `<root>/t-0` with a ManualClock unless given. */
export function openLog(
  root: string,
  overrides: Partial<LogConfig> = {},
  extra: Partial<PartitionLogOptions> = {},
): Promise<PartitionLog> {
  return PartitionLog.open({
    dir: path.join(root, 't-0'),
    topic: 't',
    partition: 0,
    config: testConfig(overrides),
    clock: new ManualClock(),
    logger: silentLogger,
    hadCleanShutdown: true,
    ...extra,
  });
}

/** A fresh temp dir for each test of the enclosing describe; call the returned function to get it. */
export function useTempDir(): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await removeDir(dir);
  });
  return () => dir;
}
