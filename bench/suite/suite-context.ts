/**
 * What every scenario shares: the suite's working directory (everything the suite writes lives under it, so one
 * removal cleans up), progress output on stderr, and the clean-up that runs however the suite ends. Processes the
 * suite started have command lines naming the working directory (broker configs, ZooKeeper's config, NATS's
 * store), so on an abrupt exit they are found by that and killed by pid before the directory is removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pidsMentioning } from '../../test/harness/procs.js';

export const MB = 1_000_000;

export class SuiteContext {
  readonly root: string;
  readonly quick: boolean;
  readonly profileDir: string | undefined;
  readonly #cleanups: Array<{ what: string; run: () => Promise<void> }> = [];
  #removed = false;
  #createdParent: string | undefined;

  private constructor(root: string, quick: boolean, profileDir: string | undefined) {
    this.root = root;
    this.quick = quick;
    this.profileDir = profileDir;
  }

  /**
   * Creates `<parent>/sk-bench-XXXXXX` and points TMPDIR at it: the test harness puts broker and ZooKeeper
   * directories under os.tmpdir(), so the brokers write to the same disk the fs limit is measured on.
   */
  static create(parent: string, quick: boolean, profileDir: string | undefined): SuiteContext {
    const createdParent = fs.mkdirSync(parent, { recursive: true }) !== undefined;
    const root = fs.mkdtempSync(path.join(path.resolve(parent), 'sk-bench-'));
    process.env['TMPDIR'] = root;
    const ctx = new SuiteContext(root, quick, profileDir);
    ctx.#createdParent = createdParent ? path.resolve(parent) : undefined;
    process.on('exit', () => ctx.#removeNow());
    // Ctrl-C before the harness installed its own handlers must still run the exit clean-up.
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: cleaning up ${root}\n`);
        process.exit(code);
      });
    }
    return ctx;
  }

  progress(message: string): void {
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
  }

  /** Registers an asynchronous clean-up (stop a cluster, a server); they run in reverse order in `cleanUp`. */
  defer(what: string, run: () => Promise<void>): () => void {
    const entry = { what, run };
    this.#cleanups.push(entry);
    return () => {
      const i = this.#cleanups.indexOf(entry);
      if (i >= 0) this.#cleanups.splice(i, 1);
    };
  }

  /** Runs `fn` with `what` stopped afterwards (also when `fn` throws). */
  async using<T>(what: string, stop: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
    const undo = this.defer(what, stop);
    try {
      return await fn();
    } finally {
      undo();
      await stop().catch((err: unknown) => this.progress(`stopping ${what} failed: ${String(err)}`));
    }
  }

  async cleanUp(): Promise<void> {
    while (this.#cleanups.length > 0) {
      const c = this.#cleanups.pop();
      if (c === undefined) break;
      await c.run().catch((err: unknown) => this.progress(`stopping ${c.what} failed: ${String(err)}`));
    }
    this.#removeNow();
  }

  /** Synchronous last resort: kill leftovers by pid, remove the working directory. */
  #removeNow(): void {
    if (this.#removed) return;
    this.#removed = true;
    for (const pid of pidsMentioning(this.root)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    try {
      fs.rmSync(this.root, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
    } catch (err) {
      process.stderr.write(`could not remove ${this.root}: ${String(err)}\n`);
    }
    if (this.#createdParent !== undefined) {
      try {
        fs.rmdirSync(this.#createdParent);
      } catch {
        // not empty (another run's directory, or files someone put there): leave it
      }
    }
  }
}
