// The inter-broker WebSocket endpoint of a real broker process, spoken to by a client written from the protocol
// description only: peers without the cluster's credentials are refused and logged, a malformed frame closes that
// one connection, and the brokers' own replication connections and the cluster's service are undisturbed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';

import { useCluster } from '../harness/fixture.js';
import { entriesWith } from '../harness/log-lines.js';
import { clusterId, partitionState, readPartitionValues, createRf3Topic } from '../harness/partition-state.js';
import { randomTopic } from '../harness/paths.js';
import { PeerSocket, verifyWelcome } from '../harness/peer-socket.js';

const CLOSE = { AUTH_FAILED: 4001, PROTOCOL_ERROR: 4002, HANDSHAKE_TIMEOUT: 4003, CLUSTER_MISMATCH: 4004 } as const;
/** A broker id no real broker has: the test client claims it when it authenticates. */
const ROGUE_ID = 99;

function configuredSecret(configFile: string): string {
  const m = /^streamkeeper\.cluster\.secret=(.+)$/m.exec(fs.readFileSync(configFile, 'utf8'));
  if (m?.[1] === undefined) throw new Error(`no streamkeeper.cluster.secret in ${configFile}`);
  return m[1];
}

describe('peer endpoint of a real broker', { timeout: 240_000 }, () => {
  const fx = useCluster({ brokers: 3, overrides: { 'zookeeper.session.timeout.ms': '6000', 'replica.lag.time.max.ms': '5000' } });
  const topic = randomTopic('peer');
  /** The leader of `topic`-0: its followers hold peer connections to it throughout. */
  let target = -1;
  let secret = '';
  let cluster = '';
  let stateVersionBefore = -1;
  let marks = new Map<number, number>();

  const statePath = (): string => `/brokers/topics/${topic}/partitions/0/state`;

  before(async () => {
    await createRf3Topic(fx.admin, topic);
    const producer = fx.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `before-${i}` })) });
    } finally {
      await producer.disconnect();
    }
    const state = await fx.cluster.waitFor(
      async () => {
        const s = await partitionState(fx.cluster, topic, 0);
        return s.isr.length === 3 ? s : null;
      },
      { timeoutMs: 20_000, what: 'a full ISR' },
    );
    target = state.leader;
    secret = configuredSecret(fx.cluster.broker(target).configFile);
    cluster = await clusterId(fx.cluster);
    stateVersionBefore = (await fx.cluster.zkClient.get(statePath()))?.stat.version ?? -1;
    marks = new Map([1, 2, 3].map((id) => [id, fx.cluster.logMark(id)]));
  });

  /** Runs `action` against the target broker and returns the target's log lines written meanwhile that match `message`. */
  const loggedDuring = async (message: string | RegExp, action: () => Promise<void>): Promise<number> => {
    const mark = fx.cluster.logMark(target);
    await action();
    return (
      await fx.cluster.waitFor(() => entriesWith(fx.cluster.logsSince(target, mark), message).filter((e) => e.level === 'warn').length, {
        timeoutMs: 5000,
        what: `a warning "${String(message)}" in broker ${target}'s log`,
      })
    );
  };

  test('a hello whose MAC uses the wrong secret is refused (4001), gets no welcome, and is logged', async () => {
    await fx.cluster.guard(async () => {
      await loggedDuring('peer authentication failed: wrong cluster secret', async () => {
        const ws = await PeerSocket.connect(fx.cluster.broker(target).port);
        const serverNonce = await ws.challenge();
        ws.sendHello(serverNonce, { secret: `${secret}-wrong`, brokerId: 2, clusterId: cluster });
        assert.equal(await ws.next(5000), undefined, 'nothing but the close follows a wrong-secret hello');
        assert.deepEqual((await ws.waitClosed(5000))?.code, CLOSE.AUTH_FAILED);
      });
    });
  });

  test('a well-formed request frame without the handshake is refused (4001) and logged', async () => {
    await fx.cluster.guard(async () => {
      await loggedDuring('unauthenticated peer sent a frame other than hello', async () => {
        const ws = await PeerSocket.connect(fx.cluster.broker(target).port);
        await ws.challenge();
        ws.send({ v: 1, t: 'replica-fetch', id: 1, p: { brokerId: 2, partitions: [] } });
        assert.equal(await ws.next(5000), undefined, 'the request is not answered');
        assert.equal((await ws.waitClosed(5000))?.code, CLOSE.AUTH_FAILED);
      });
    });
  });

  test('garbage bytes and a text message before authenticating close with 4002 and are logged', async () => {
    await fx.cluster.guard(async () => {
      const count = await loggedDuring('malformed frame from peer; closing the connection', async () => {
        const garbage = await PeerSocket.connect(fx.cluster.broker(target).port);
        await garbage.challenge();
        garbage.sendRaw(Buffer.from([0xc1, 0xff, 0x00, 0x13, 0x37]));
        assert.equal((await garbage.waitClosed(5000))?.code, CLOSE.PROTOCOL_ERROR);
        const text = await PeerSocket.connect(fx.cluster.broker(target).port);
        await text.challenge();
        text.sendRaw('{"t":"hello"}', false);
        assert.equal((await text.waitClosed(5000))?.code, CLOSE.PROTOCOL_ERROR);
      });
      assert.ok(count >= 1);
    });
  });

  test('the right secret with another cluster id is refused (4004)', async () => {
    await fx.cluster.guard(async () => {
      await loggedDuring('peer belongs to another cluster', async () => {
        const ws = await PeerSocket.connect(fx.cluster.broker(target).port);
        const serverNonce = await ws.challenge();
        ws.sendHello(serverNonce, { secret, brokerId: ROGUE_ID, clusterId: `${cluster}-other` });
        assert.equal(await ws.next(5000), undefined);
        assert.equal((await ws.waitClosed(5000))?.code, CLOSE.CLUSTER_MISMATCH);
      });
    });
  });

  test('a client that never answers the challenge is dropped (4003); another path is not upgraded', async () => {
    await fx.cluster.guard(async () => {
      await loggedDuring('peer did not authenticate in time', async () => {
        const ws = await PeerSocket.connect(fx.cluster.broker(target).port);
        await ws.challenge();
        assert.equal((await ws.waitClosed(15_000))?.code, CLOSE.HANDSHAKE_TIMEOUT);
      });
      await assert.rejects(PeerSocket.connect(fx.cluster.broker(target).port, '/streamkeeper/other'), /HTTP 404/);
    });
  });

  test('with the cluster secret the handshake completes (welcome MAC verifies); a malformed frame then closes that connection only', async () => {
    await fx.cluster.guard(async () => {
      const ws = await PeerSocket.connect(fx.cluster.broker(target).port);
      const serverNonce = await ws.challenge();
      const clientNonce = ws.sendHello(serverNonce, { secret, brokerId: ROGUE_ID, clusterId: cluster });
      const serverId = verifyWelcome(await ws.next(5000), { secret, clientNonce, serverNonce, clusterId: cluster });
      assert.equal(serverId, target, 'the welcome names the broker we connected to');
      // An authenticated request of an unknown type is answered, not fatal.
      ws.send({ v: 1, t: 'no-such-request', id: 7 });
      const answer = await ws.next(5000);
      assert.equal(answer?.id, 7);
      assert.ok(typeof answer.err === 'object' && answer.err !== null, `an error answer: ${JSON.stringify(answer)}`);
      await loggedDuring('malformed frame from peer; closing the connection', async () => {
        ws.send({ v: 2, t: 'replica-fetch', id: 8, p: {} });
        assert.equal((await ws.waitClosed(5000))?.code, CLOSE.PROTOCOL_ERROR);
      });
    });
  });

  test('afterwards the brokers never lost their own peer connections, the ISR never changed, and RF=3 produce+consume works', async () => {
    await fx.cluster.guard(async () => {
      for (const id of [1, 2, 3]) {
        const since = fx.cluster.logsSince(id, marks.get(id) ?? 0);
        const dropped = entriesWith(since, /^(peer disconnected|closing peer connection|peer missed heartbeats.*|peer authentication failed)$/).filter(
          (e) => e['brokerId'] !== ROGUE_ID && e['claimedBrokerId'] === undefined,
        );
        assert.deepEqual(dropped, [], `broker ${id} logged no inter-broker connection loss`);
      }
      const node = await fx.cluster.zkClient.get(statePath());
      assert.equal(node?.stat.version, stateVersionBefore, 'the state znode was not rewritten (no ISR shrink or leader change)');
      const state = await partitionState(fx.cluster, topic, 0);
      assert.deepEqual([...state.isr].sort(), [1, 2, 3]);
      assert.equal(state.leader, target);

      const producer = fx.kafka.producer();
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `after-${i}` })) });
      } finally {
        await producer.disconnect();
      }
      const values = await readPartitionValues(fx.cluster.bootstrap, topic, 0);
      assert.deepEqual(values, [...Array.from({ length: 20 }, (_, i) => `before-${i}`), ...Array.from({ length: 20 }, (_, i) => `after-${i}`)]);
      assert.deepEqual([...(await partitionState(fx.cluster, topic, 0)).isr].sort(), [1, 2, 3], 'acks=all went through the full ISR');
    });
  });
});
