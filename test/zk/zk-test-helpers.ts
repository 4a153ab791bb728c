import { randomBytes } from 'node:crypto';
import { after, afterEach, before } from 'node:test';
import { startZooKeeper } from '../harness/zookeeper.js';
import type { ZooKeeperHandle } from '../harness/zookeeper.js';
import type { ZkClient, ZkWatchEvent } from '../../src/zk/zk-client.js';

/** Sets a watch and waits until the server has it; `event` resolves when it fires. */
export async function watch(
  register: (w: (e: ZkWatchEvent) => void) => Promise<unknown>,
): Promise<{ event: Promise<ZkWatchEvent> }> {
  let fire: (e: ZkWatchEvent) => void = () => undefined;
  const event = new Promise<ZkWatchEvent>((resolve) => {
    fire = resolve;
  });
  await register((e) => fire(e));
  return { event };
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A fresh top-level path (or chroot) so tests sharing one server never see each other's nodes. */
export const uniquePath = (): string => `/t-${randomBytes(4).toString('hex')}`;

/**
 * One ZooKeeper server for the whole test file: registers before/after hooks, and closes every client handed to
 * `track` after each test.
 */
export function sharedZooKeeper(): { server: () => ZooKeeperHandle; track: (client: ZkClient) => ZkClient } {
  let zk: ZooKeeperHandle | undefined;
  const open: ZkClient[] = [];
  before(async () => {
    zk = await startZooKeeper({ tickMs: 500 });
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  after(async () => {
    await zk?.stop();
  });
  return {
    server: () => {
      if (zk === undefined) throw new Error('ZooKeeper is not started yet');
      return zk;
    },
    track: (client) => {
      open.push(client);
      return client;
    },
  };
}
