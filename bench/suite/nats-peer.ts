/**
 * P6's peer: NATS JetStream (Debian's nats-server) with a file-storage stream of one replica, fed 1 KiB messages
 * through the nats.js client with many publishes awaiting their acknowledgement at once. JetStream acknowledges a
 * publish once the message is written to its file store (no fsync per message; it syncs every 2 minutes by
 * default), the same durability as Streamkeeper's acks=1 on one broker (written to the segment, no fsync).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect, StorageType } from 'nats';
import { killAndWait } from '../../test/harness/broker-process.js';
import { acceptsTcp, freePort } from '../../test/harness/ports.js';
import type { SuiteContext } from './suite-context.js';

const IN_FLIGHT = 256;
const SUBJECT = 'bench.p6';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command} || test -x /usr/sbin/${command}`], { stdio: 'ignore' }).status === 0;
}

function natsServerBinary(): string {
  return fs.existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
}

/**
 * Installs Debian's nats-server when missing (as root, or through sudo like scripts/setup.sh); returns why it
 * could not, or undefined when it is there.
 */
export function ensureNatsServer(ctx: SuiteContext): string | undefined {
  if (onPath('nats-server')) return undefined;
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) return 'nats-server is not installed and neither root nor sudo is available to install it';
  const aptGet = (...args: string[]): number | null => {
    const argv = root ? ['apt-get', ...args] : ['sudo', 'apt-get', ...args];
    return spawnSync(argv[0] ?? 'apt-get', argv.slice(1), { stdio: ['inherit', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status;
  };
  ctx.progress('installing nats-server with apt-get');
  const install = (): boolean => aptGet('install', '-y', '-q', '--no-install-recommends', 'nats-server') === 0;
  if (!install() && (aptGet('update', '-q') !== 0 || !install())) return 'apt-get could not install nats-server';
  return onPath('nats-server') ? undefined : 'nats-server still missing after apt-get install';
}

export interface NatsOutcome {
  readonly messages: number;
  readonly bytes: number;
  readonly ms: number;
}

async function startNats(ctx: SuiteContext): Promise<{ port: number; child: ChildProcess }> {
  const dir = path.join(ctx.root, 'nats');
  fs.mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const log = fs.openSync(path.join(dir, 'nats-server.log'), 'a');
  const child = spawn(natsServerBinary(), ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const deadline = Date.now() + 15_000;
  while (!(await acceptsTcp(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not start; see ${path.join(dir, 'nats-server.log')}`);
    }
    await sleep(100);
  }
  return { port, child };
}

/** Publishes `recordSize`-byte messages to an R1 file stream for `ms` (after a warm-up of `warmupMs`). */
export async function measureNats(ctx: SuiteContext, recordSize: number, warmupMs: number, ms: number): Promise<NatsOutcome> {
  const { port, child } = await startNats(ctx);
  return await ctx.using('nats-server', async () => void (await killAndWait(child, 'SIGTERM', 10_000)), async () => {
    const nc = await connect({ servers: `127.0.0.1:${port}` });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: 'BENCH', subjects: [SUBJECT], storage: StorageType.File, num_replicas: 1 });
      const js = nc.jetstream();
      const payload = Buffer.alloc(recordSize, 0x61);
      const run = async (runMs: number): Promise<NatsOutcome> => {
        let messages = 0;
        const start = performance.now();
        const deadline = start + runMs;
        const lane = async (): Promise<void> => {
          while (performance.now() < deadline) {
            await js.publish(SUBJECT, payload);
            messages++;
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
        const took = performance.now() - start;
        return { messages, bytes: messages * recordSize, ms: took };
      };
      await run(warmupMs);
      return await run(ms);
    } finally {
      await nc.close();
    }
  });
}
