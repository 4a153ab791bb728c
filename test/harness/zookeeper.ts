import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ZooKeeperHandle {
  readonly connectString: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** The repository root: this file is test/harness/zookeeper.ts, compiled to dist/test/harness/zookeeper.js. */
function repoRoot(): string {
  const up2 = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return basename(up2) === 'dist' ? resolve(up2, '..') : up2;
}

/** A free TCP port on localhost (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a real standalone ZooKeeper (zk/start.sh) on a free port in a fresh temp dir.
 * `tickMs` (default 500) sets tickTime; sessions may be as short as 2 ticks.
 */
export async function startZooKeeper(opts: { tickMs?: number } = {}): Promise<ZooKeeperHandle> {
  const root = repoRoot();
  const dataDir = await mkdtemp(join(tmpdir(), 'streamkeeper-zk-'));
  const tickMs = opts.tickMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    try {
      await run('bash', [join(root, 'zk/start.sh'), '--port', String(port), '--data-dir', dataDir, '--tick-ms', String(tickMs)]);
    } catch (err) {
      if (attempt < 2) continue; // the port may have been taken between probing and binding
      await rm(dataDir, { recursive: true, force: true });
      const stderr = (err as { stderr?: string }).stderr ?? '';
      throw new Error(`could not start ZooKeeper: ${stderr.trim() || String(err)}`, { cause: err });
    }
    let stopped = false;
    // If the test process exits without stop(), do not leave the server running.
    const pid = Number(await readFile(join(dataDir, 'zookeeper.pid'), 'utf8'));
    const killOnExit = (): void => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    process.once('exit', killOnExit);
    return {
      connectString: `127.0.0.1:${port}`,
      port,
      dataDir,
      async stop() {
        if (stopped) return;
        stopped = true;
        process.off('exit', killOnExit);
        await run('bash', [join(root, 'zk/stop.sh'), '--data-dir', dataDir]);
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
}
