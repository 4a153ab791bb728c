import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from '../harness/zookeeper.js';
import { TcpProxy } from './tcp-proxy.js';
import { sharedZooKeeper, uniquePath as uniq, waitFor, watch } from './zk-test-helpers.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import type { ZkClientOptions } from '../../src/zk/zk-client.js';
import {
  ZkBadVersionError,
  ZkCode,
  ZkConnectionLossError,
  ZkNoNodeError,
  ZkNodeExistsError,
  ZkNotEmptyError,
  ZkSessionExpiredError,
} from '../../src/zk/zk-errors.js';

const { server, track } = sharedZooKeeper();

async function connect(options: Partial<ZkClientOptions> & { chroot?: string } = {}): Promise<ZkClient> {
  const { chroot = '', ...rest } = options;
  return track(await ZkClient.connect({ connectString: `${server().connectString}${chroot}`, sessionTimeoutMs: 4000, ...rest }));
}


describe('ZkClient against a real ZooKeeper', { timeout: 60_000 }, () => {
  test('create / get / set / delete with stats and typed errors', async () => {
    const c = await connect();
    const root = uniq();
    assert.equal(await c.create(root, 'v0', 'persistent'), root);
    const got = await c.get(root);
    assert.equal(got.data?.toString(), 'v0');
    assert.equal(got.stat.version, 0);
    assert.equal(got.stat.ephemeralOwner, '0');
    assert.equal(typeof got.stat.czxid, 'bigint');
    assert.equal(got.stat.czxid, got.stat.mzxid);

    const stat = await c.set(root, 'v1', 0);
    assert.equal(stat.version, 1);
    assert.ok(stat.mzxid > stat.czxid);
    await assert.rejects(c.set(root, 'v2', 0), (e: unknown) => e instanceof ZkBadVersionError && e.code === ZkCode.BADVERSION && e.path === root);
    await assert.rejects(c.create(root, null, 'persistent'), ZkNodeExistsError);
    await assert.rejects(c.get(`${root}/missing`), ZkNoNodeError);
    assert.equal(await c.exists(`${root}/missing`), null);

    const seq1 = await c.create(`${root}/item_`, null, 'persistent_sequential');
    const seq2 = await c.create(`${root}/item_`, null, 'persistent_sequential');
    assert.match(seq1, /\/item_\d{10}$/);
    assert.ok(seq2 > seq1);
    assert.deepEqual((await c.getChildren(root)).sort(), [seq1, seq2].map((p) => p.slice(root.length + 1)).sort());
    assert.equal((await c.get(seq1)).data, null, 'empty data reads as null');

    await assert.rejects(c.delete(root, -1), ZkNotEmptyError);
    await c.mkdirp(`${root}/a/b/c`);
    assert.ok((await c.exists(`${root}/a/b/c`)) !== null);
    await c.deleteRecursive(root);
    assert.equal(await c.exists(root), null);
    await c.deleteRecursive(root); // missing is fine
  });

  test('watchers are one-shot and fire for data, children and existence', async () => {
    const c = await connect();
    const other = await connect();
    const root = uniq();
    await c.create(root, 'x', 'persistent');

    let dataFires = 0;
    const dataEvent = await watch((w) => c.get(root, (e) => { dataFires++; w(e); }));
    const childEvent = await watch((w) => c.getChildren(root, w));
    const existsEvent = await watch((w) => c.exists(`${root}/later`, w));
    await other.set(root, 'y', -1);
    await other.set(root, 'z', -1);
    await other.create(`${root}/later`, null, 'persistent');

    assert.deepEqual(await dataEvent.event, { type: 'NodeDataChanged', path: root });
    assert.deepEqual(await childEvent.event, { type: 'NodeChildrenChanged', path: root });
    assert.deepEqual(await existsEvent.event, { type: 'NodeCreated', path: `${root}/later` });
    await other.set(root, 'again', -1);
    // ZooKeeper delivers a watch event before the read that sees the change, so after this read any event is in.
    assert.equal((await c.get(root)).data?.toString(), 'again');
    assert.equal(dataFires, 1, 'a watcher fires once');

    const deleted = await watch((w) => c.exists(`${root}/later`, w));
    await other.delete(`${root}/later`, -1);
    assert.deepEqual(await deleted.event, { type: 'NodeDeleted', path: `${root}/later` });
  });

  test('creates a missing chroot and works inside it', async () => {
    const chroot = `${uniq()}/kafka`;
    const inside = await connect({ chroot });
    await inside.create('/brokers', 'in-chroot', 'persistent');
    const outside = await connect();
    assert.equal((await outside.get(`${chroot}/brokers`)).data?.toString(), 'in-chroot');
    const changed = await watch((w) => inside.get('/brokers', w));
    await outside.set(`${chroot}/brokers`, 'changed', -1);
    assert.deepEqual(await changed.event, { type: 'NodeDataChanged', path: '/brokers' }, 'watch paths are chroot-relative');
  });

  test('ephemeral nodes disappear when their session closes', async () => {
    const owner = await connect();
    const watcher = await connect();
    const path = uniq();
    await owner.create(path, 'mine', 'ephemeral');
    const stat = await watcher.exists(path);
    assert.equal(stat?.ephemeralOwner, owner.sessionId);
    const gone = await watch((w) => watcher.exists(path, w));
    owner.close();
    assert.deepEqual(await gone.event, { type: 'NodeDeleted', path });
    assert.equal(await watcher.exists(path), null);
    await assert.rejects(owner.get(path), /client is closed/);
  });

  test('connecting to a port without ZooKeeper fails clearly within the connection timeout', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(
      ZkClient.connect({ connectString: `127.0.0.1:${port}`, sessionTimeoutMs: 4000, connectionTimeoutMs: 800 }),
      (e: unknown) =>
        e instanceof ZkConnectionLossError && e.message === `could not connect to ZooKeeper at 127.0.0.1:${port} within 800 ms`,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 750 && elapsed < 3000, `failed after ${elapsed} ms`);
  });

  test('reports session expiry, refuses requests, and reconnect() starts a new session', async () => {
    const proxy = await TcpProxy.start(server().port);
    try {
      const c = track(await ZkClient.connect({ connectString: `127.0.0.1:${proxy.port}`, sessionTimeoutMs: 1000 }));
      assert.equal(c.negotiatedSessionTimeoutMs, 1000);
      const observer = await connect();
      const path = uniq();
      await c.create(path, null, 'ephemeral');
      const oldSession = c.sessionId;
      const events: string[] = [];
      for (const e of ['connected', 'disconnected', 'expired']) c.on(e, () => events.push(e));
      const expired = new Promise<void>((resolve) => c.once('expired', resolve));

      proxy.block();
      await waitFor('the server to expire the session', async () => (await observer.exists(path)) === null);
      proxy.unblock();
      await expired;
      assert.equal(c.state, 'expired');
      assert.ok(events.includes('disconnected'));
      await assert.rejects(c.get('/'), ZkSessionExpiredError);

      const connected = new Promise<void>((resolve) => c.once('connected', resolve));
      await c.reconnect();
      await connected;
      assert.equal(c.state, 'connected');
      assert.notEqual(c.sessionId, oldSession);
      await c.create(path, null, 'ephemeral');
      assert.equal((await observer.exists(path))?.ephemeralOwner, c.sessionId);
    } finally {
      await proxy.close();
    }
  });
});
