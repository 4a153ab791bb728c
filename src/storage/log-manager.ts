import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { CheckpointFile, readCheckpointFile, writeCheckpointFile } from './checkpoint-file.js';
import type { OffsetCheckpoint } from './checkpoint-file.js';
import type { LogConfig } from './log-config.js';
import { LogCleaner } from './cleaner/log-cleaner.js';
import type { LogCleanerConfig } from './cleaner/log-cleaner.js';
import { checkAndWriteMetaProperties } from './meta-properties.js';
import { PartitionLog } from './partition-log.js';
import { TailBudget } from './tail-cache.js';
import { SerialQueue } from './serial-queue.js';
import { runWindowed } from '../util/windowed.js';
import { KafkaStorageError, asStorageError } from './storage-errors.js';
import { parseTopicPartitionKey, topicPartitionKey } from './topic-partition.js';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';
const DELETE_DIR_SUFFIX = '-delete';
/**
 * Logs flushed and closed at once during shutdown (Kafka closes them on a thread pool per log dir). Each close is a
 * handful of fsync/close calls waiting on libuv's thread pool; one at a time, 10,000 logs took about a second.
 */
const DEFAULT_SHUTDOWN_CONCURRENCY = 64;
/**
 * Logs of one log dir opened at once at startup, for the same reason: each open is a chain of small file operations, and one log
 * at a time a broker with 10,000 partitions took about half a minute to load them (Kafka loads on a thread pool,
 * num.recovery.threads.per.data.dir).
 */
const DEFAULT_LOAD_CONCURRENCY = 64;
/** Leader appends all this broker's logs may keep in memory for followers together (each log at most 4 MiB). */
const TAIL_BUDGET_BYTES = 64 * 1024 * 1024;
const FUTURE_DIR_SUFFIX = '-future';

export interface LogManagerOptions {
  logDirs: readonly string[];
  clock: Clock;
  logger: Logger;
  defaultConfig: Readonly<LogConfig>;
  /** log.retention.check.interval.ms */
  retentionCheckIntervalMs: number;
  /** log.flush.offset.checkpoint.interval.ms (default 60000) */
  flushCheckpointIntervalMs?: number;
  /** log.cleaner.* (compaction of cleanup.policy=compact logs); default: enabled, Kafka's 15 s back-off. */
  cleaner?: LogCleanerConfig;
  /** How many logs shutdown() flushes and closes at the same time (default 64). */
  shutdownConcurrency?: number;
  /** How many logs of each log dir startup() opens at the same time (default 64). */
  loadConcurrency?: number;
}

const DEFAULT_CLEANER: LogCleanerConfig = { enable: true, backoffMs: 15000 };

interface Entry {
  log: PartitionLog;
  logDir: string;
}

/**
 * All partition logs of this broker across its log dirs (Kafka's LogManager): start-up loading with recovery,
 * placement of new logs, retention and checkpoint tasks, deletion, clean shutdown.
 */
export class LogManager {
  #opts: LogManagerOptions;
  #logger: Logger;
  #logs = new Map<string, Entry>();
  #creating = new Map<string, Promise<PartitionLog>>();
  #offline = new Map<string, KafkaStorageError>();
  #timers = new Map<string, () => void>();
  readonly #tailBudget = new TailBudget(TAIL_BUDGET_BYTES);
  #running = new Set<Promise<unknown>>();
  #started = false;
  /** Set when shutdown() begins: no log is created after that. */
  #shuttingDown = false;
  /** Logs per log dir, registered or being created there (where the next new log goes). */
  #placed = new Map<string, number>();
  #cleaner: LogCleaner | undefined;
  /** Checkpoint files are written one at a time (they share `<file>.tmp` names). */
  #checkpointWrites = new SerialQueue();

  constructor(opts: LogManagerOptions) {
    if (opts.logDirs.length === 0) throw new Error('At least one log dir is required');
    this.#opts = opts;
    this.#logger = opts.logger;
  }

  async startup(identity: { brokerId: number; clusterId: string }): Promise<void> {
    const now = new Date(this.#opts.clock.now());
    for (const logDir of this.#opts.logDirs) {
      await fs.promises.mkdir(logDir, { recursive: true });
      await checkAndWriteMetaProperties(logDir, identity, now);
    }
    const claimed = new Map<string, string>();
    // Every dir's loading ends before a failure (a duplicate partition) is raised, so no open goes on unobserved.
    const loaded = await Promise.allSettled(this.#opts.logDirs.map((logDir) => this.#loadLogDir(logDir, claimed)));
    const failed = loaded.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await Promise.allSettled([...this.#logs.values()].map(async ({ log }) => await log.close()));
      this.#logs.clear();
      throw failed.reason;
    }
    this.#started = true;
    this.#schedule('retention', this.#opts.retentionCheckIntervalMs, () => this.cleanupLogs());
    this.#schedule('checkpoint', this.#opts.flushCheckpointIntervalMs ?? 60000, () => this.checkpointLogOffsets());
    const cleanerConfig = this.#opts.cleaner ?? DEFAULT_CLEANER;
    if (cleanerConfig.enable) {
      const cleaner = new LogCleaner({
        ...cleanerConfig,
        clock: this.#opts.clock,
        logger: this.#logger.child({ component: 'log-cleaner' }),
        logDirs: this.#opts.logDirs,
        logs: () => this.#logs.values(),
      });
      await cleaner.loadCheckpoints();
      cleaner.startup();
      this.#cleaner = cleaner;
    }
  }

  /** The log cleaner, when log.cleaner.enable is on and the manager has started. */
  get cleaner(): LogCleaner | undefined {
    return this.#cleaner;
  }

  /** Loads the logs of `logDir`; `claimed` maps each partition found in any log dir to that dir. */
  async #loadLogDir(logDir: string, claimed: Map<string, string>): Promise<void> {
    const marker = path.join(logDir, CLEAN_SHUTDOWN_FILE);
    const hadCleanShutdown = await fs.promises.stat(marker).then(
      () => true,
      () => false,
    );
    const recoveryPoints = await this.#readCheckpointOrEmpty(path.join(logDir, CheckpointFile.RECOVERY_POINT));
    const logStartOffsets = await this.#readCheckpointOrEmpty(path.join(logDir, CheckpointFile.LOG_START_OFFSET));
    const entries = await fs.promises.readdir(logDir, { withFileTypes: true });
    const toLoad: { dir: string; topic: string; partition: number; key: string }[] = [];
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = path.join(logDir, entry.name);
      if (entry.name.endsWith(DELETE_DIR_SUFFIX)) {
        await fs.promises.rm(dir, { recursive: true, force: true });
        continue;
      }
      if (entry.name.endsWith(FUTURE_DIR_SUFFIX)) continue;
      const tp = parseTopicPartitionKey(entry.name);
      if (tp === null) continue;
      const key = topicPartitionKey(tp.topic, tp.partition);
      // Claimed before any log is opened, so the same partition in two log dirs (loaded at the same time) is found.
      const existing = claimed.get(key);
      if (existing !== undefined) {
        throw new Error(`Duplicate log directories for ${key} are found in both ${existing} and ${logDir}.`);
      }
      claimed.set(key, logDir);
      toLoad.push({ dir, topic: tp.topic, partition: tp.partition, key });
    }
    await runWindowed(toLoad, this.#opts.loadConcurrency ?? DEFAULT_LOAD_CONCURRENCY, async ({ dir, topic, partition, key }) => {
      const recoveryPoint = recoveryPoints.get(key);
      const logStartOffset = logStartOffsets.get(key);
      try {
        const log = await PartitionLog.open({
          dir,
          topic,
          partition,
          config: this.#opts.defaultConfig,
          clock: this.#opts.clock,
          logger: this.#logger.child({ topic, partition }),
          hadCleanShutdown,
          tailBudget: this.#tailBudget,
          ...(recoveryPoint === undefined ? {} : { recoveryPoint }),
          ...(logStartOffset === undefined ? {} : { logStartOffset }),
        });
        this.#logs.set(key, { log, logDir });
        this.#countIn(logDir, 1);
      } catch (err) {
        const failure = new KafkaStorageError(`Failed to load log ${key} in ${logDir}`, err);
        this.#offline.set(key, failure);
        this.#logger.error('Failed to load partition log', { topic, partition, error: String(err) });
      }
    });
    await fs.promises.rm(marker, { force: true });
  }

  async #readCheckpointOrEmpty(file: string): Promise<OffsetCheckpoint> {
    try {
      return await readCheckpointFile(file);
    } catch (err) {
      this.#logger.error('Ignoring unreadable checkpoint file', { file, error: String(err) });
      return new Map();
    }
  }

  /** Run `task` every `intervalMs` (the next run is scheduled when the previous one has finished). */
  #schedule(name: string, intervalMs: number, task: () => Promise<unknown>): void {
    const run = (): void => {
      this.#timers.delete(name);
      this.#track(
        task()
          .catch((err: unknown) => this.#logger.error('Scheduled log task failed', { task: name, error: String(err) }))
          .finally(() => {
            if (this.#started) this.#schedule(name, intervalMs, task);
          }),
      );
    };
    this.#timers.set(name, this.#opts.clock.schedule(intervalMs, run));
  }

  #track(promise: Promise<unknown>): void {
    const tracked = promise.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
  }

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.#logs.get(topicPartitionKey(topic, partition))?.log;
  }

  /** The storage error that took this partition offline at load, if any. */
  offlineError(topic: string, partition: number): KafkaStorageError | undefined {
    return this.#offline.get(topicPartitionKey(topic, partition));
  }

  allLogs(): PartitionLog[] {
    return [...this.#logs.values()].map((e) => e.log);
  }

  /** The log, created (empty, in the log dir holding the fewest partitions) when absent. */
  getOrCreateLog(topic: string, partition: number, config: Readonly<LogConfig> = this.#opts.defaultConfig): Promise<PartitionLog> {
    const key = topicPartitionKey(topic, partition);
    const existing = this.#logs.get(key);
    if (existing !== undefined) {
      // Logs loaded at start-up run on the broker defaults until their topic's config is known: this is where it is.
      existing.log.updateConfig(config);
      return Promise.resolve(existing.log);
    }
    const offline = this.#offline.get(key);
    if (offline !== undefined) return Promise.reject(offline);
    let creating = this.#creating.get(key);
    if (creating === undefined) {
      if (this.#shuttingDown) return Promise.reject(new KafkaStorageError(`Not creating log ${key}: the log manager is shutting down`));
      creating = this.#createLog(topic, partition, config).finally(() => this.#creating.delete(key));
      this.#creating.set(key, creating);
    }
    return creating;
  }

  async #createLog(topic: string, partition: number, config: Readonly<LogConfig>): Promise<PartitionLog> {
    // Chosen before the first await and counted until the log is registered, so that logs created at the same
    // time spread over the dirs instead of all landing in the one that was emptiest when they started.
    let logDir = this.#opts.logDirs[0] ?? '';
    for (const d of this.#opts.logDirs) if ((this.#placed.get(d) ?? 0) < (this.#placed.get(logDir) ?? 0)) logDir = d;
    const key = topicPartitionKey(topic, partition);
    this.#countIn(logDir, 1);
    let registered = false;
    try {
      const log = await PartitionLog.open({
        dir: path.join(logDir, key),
        topic,
        partition,
        config,
        clock: this.#opts.clock,
        logger: this.#logger.child({ topic, partition }),
        hadCleanShutdown: true,
        tailBudget: this.#tailBudget,
      });
      this.#logs.set(key, { log, logDir });
      registered = true;
      this.#logger.info('Created log', { topic, partition, logDir });
      return log;
    } catch (err) {
      throw asStorageError(err, `Failed to create log ${key} in ${logDir}`);
    } finally {
      if (!registered) this.#countIn(logDir, -1);
    }
  }

  #countIn(logDir: string, delta: number): void {
    this.#placed.set(logDir, (this.#placed.get(logDir) ?? 0) + delta);
  }

  /** Kafka's asynchronous delete: close, rename to `<topic>-<partition>.<uuid>-delete`, remove after file.delete.delay.ms. */
  async deleteLog(topic: string, partition: number): Promise<void> {
    const key = topicPartitionKey(topic, partition);
    this.#offline.delete(key);
    const entry = this.#logs.get(key);
    if (entry === undefined) return;
    this.#logs.delete(key);
    this.#countIn(entry.logDir, -1);
    await this.#cleaner?.abortAndForget(topic, partition);
    try {
      await entry.log.close();
    } catch (err) {
      this.#logger.warn('Error closing log being deleted', { topic, partition, error: String(err) });
    }
    const renamed = path.join(entry.logDir, `${key}.${randomUUID().replaceAll('-', '')}${DELETE_DIR_SUFFIX}`);
    await fs.promises.rename(entry.log.dir, renamed);
    const cancel = this.#opts.clock.schedule(this.#opts.defaultConfig.fileDeleteDelayMs, () => {
      this.#timers.delete(renamed);
      this.#track(
        fs.promises
          .rm(renamed, { recursive: true, force: true })
          .catch((err: unknown) => this.#logger.warn('Failed to remove deleted log dir', { dir: renamed, error: String(err) })),
      );
    });
    this.#timers.set(renamed, cancel);
  }

  /** One retention pass over every log; returns the number of segments deleted. */
  async cleanupLogs(): Promise<number> {
    let deleted = 0;
    const now = this.#opts.clock.now();
    for (const [key, { log }] of this.#logs) {
      try {
        deleted += await log.deleteOldSegments(now);
      } catch (err) {
        this.#logger.error('Retention failed for a partition', { partition: key, error: String(err) });
      }
    }
    return deleted;
  }

  #byLogDir(): Map<string, Entry[]> {
    const byDir = new Map<string, Entry[]>(this.#opts.logDirs.map((d) => [d, []]));
    for (const entry of this.#logs.values()) byDir.get(entry.logDir)?.push(entry);
    return byDir;
  }

  /** Write every log dir's recovery-point and log-start-offset checkpoints. */
  checkpointLogOffsets(): Promise<void> {
    return this.#checkpointWrites.run(() => this.#checkpointLogOffsets());
  }

  async #checkpointLogOffsets(): Promise<void> {
    for (const [logDir, entries] of this.#byLogDir()) {
      const recoveryPoints = new Map<string, number>();
      const logStartOffsets = new Map<string, number>();
      for (const { log } of entries) {
        const key = topicPartitionKey(log.topic, log.partition);
        recoveryPoints.set(key, log.recoveryPoint);
        logStartOffsets.set(key, log.logStartOffset);
      }
      await writeCheckpointFile(path.join(logDir, CheckpointFile.RECOVERY_POINT), recoveryPoints);
      await writeCheckpointFile(path.join(logDir, CheckpointFile.LOG_START_OFFSET), logStartOffsets);
    }
  }

  /** High watermarks from every log dir's replication-offset-checkpoint (keys: topicPartitionKey). */
  async readHighWatermarks(): Promise<Map<string, number>> {
    const all = new Map<string, number>();
    for (const logDir of this.#opts.logDirs) {
      const hws = await this.#readCheckpointOrEmpty(path.join(logDir, CheckpointFile.REPLICATION_OFFSET));
      for (const [key, offset] of hws) all.set(key, offset);
    }
    return all;
  }

  /** Write high watermarks, each into the log dir holding that partition (others are ignored). */
  writeHighWatermarks(highWatermarks: ReadonlyMap<string, number>): Promise<void> {
    return this.#checkpointWrites.run(() => this.#writeHighWatermarks(highWatermarks));
  }

  async #writeHighWatermarks(highWatermarks: ReadonlyMap<string, number>): Promise<void> {
    for (const [logDir, entries] of this.#byLogDir()) {
      const hws = new Map<string, number>();
      for (const { log } of entries) {
        const key = topicPartitionKey(log.topic, log.partition);
        const hw = highWatermarks.get(key);
        if (hw !== undefined) hws.set(key, hw);
      }
      await writeCheckpointFile(path.join(logDir, CheckpointFile.REPLICATION_OFFSET), hws);
    }
  }

  /** Stop tasks, close (flush) every log, write checkpoints and, where every log closed cleanly, the clean-shutdown marker. */
  async shutdown(): Promise<void> {
    this.#started = false;
    this.#shuttingDown = true;
    // A log still being created is closed with the others, not left half-made after the marker is written.
    await Promise.allSettled([...this.#creating.values()]);
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
    await this.#cleaner?.shutdown();
    this.#cleaner = undefined;
    await Promise.all([...this.#running]);
    const uncleanDirs = new Set<string>();
    // Every log is closed whatever happens to the others; a failure only keeps its own dir from being marked clean.
    await runWindowed([...this.#logs], this.#opts.shutdownConcurrency ?? DEFAULT_SHUTDOWN_CONCURRENCY, async ([key, entry]) => {
      try {
        await entry.log.close(); // rejects for an offline log, after closing its files
      } catch (err) {
        uncleanDirs.add(entry.logDir);
        this.#logger.error('Failed to close log cleanly', { partition: key, error: String(err) });
      }
    });
    await this.checkpointLogOffsets();
    for (const logDir of this.#opts.logDirs) {
      if (uncleanDirs.has(logDir)) continue;
      await fs.promises.writeFile(path.join(logDir, CLEAN_SHUTDOWN_FILE), '');
    }
    this.#logs.clear();
    this.#placed.clear();
  }
}
