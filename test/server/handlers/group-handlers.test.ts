import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type {
  JoinGroupParams,
  JoinGroupResult,
  LeaveGroupParams,
  LeaveGroupResult,
  OffsetCommitParams,
  OffsetFetchParams,
  OffsetFetchResult,
  SyncGroupParams,
} from '../../../src/coordinator/group/group-api.js';
import type { CoordinatorLookup } from '../../../src/coordinator/offsets-topic.js';
import { decodeResponse, encodeResponse } from '../../../src/protocol/codec.js';
import { errorCode, type ErrorName } from '../../../src/protocol/error-codes.js';
import type { BrokerServices } from '../../../src/server/broker-services.js';
import type { RequestHandler } from '../../../src/server/handler.js';
import { findCoordinatorHandler } from '../../../src/server/handlers/find-coordinator.js';
import { joinGroupHandler } from '../../../src/server/handlers/join-group.js';
import { leaveGroupHandler } from '../../../src/server/handlers/leave-group.js';
import { offsetCommitHandler } from '../../../src/server/handlers/offset-commit.js';
import { offsetFetchHandler } from '../../../src/server/handlers/offset-fetch.js';
import { syncGroupHandler } from '../../../src/server/handlers/sync-group.js';
import type { RequestContext } from '../../../src/server/request-context.js';

/** A GroupCoordinator stand-in: canned answers, and the parameters each call received. */
class StubCoordinator {
  readonly calls: { api: string; params: unknown }[] = [];
  leaveResult: LeaveGroupResult = { error: 'NONE', members: [] };
  joinResult: JoinGroupResult = {
    error: 'NONE',
    generationId: 3,
    protocolType: 'consumer',
    protocolName: 'range',
    leader: 'm-1',
    skipAssignment: false,
    memberId: 'm-1',
    members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from('sub') }],
  };
  fetchResult: OffsetFetchResult = { error: 'NONE', partitions: [] };

  #record<T>(api: string, params: unknown, result: T): Promise<T> {
    this.calls.push({ api, params });
    return Promise.resolve(result);
  }

  partitionFor(): number {
    return 0;
  }
  leaveGroup(p: LeaveGroupParams): Promise<LeaveGroupResult> {
    return this.#record('leave', p, this.leaveResult);
  }
  joinGroup(p: JoinGroupParams): Promise<JoinGroupResult> {
    return this.#record('join', p, this.joinResult);
  }
  syncGroup(p: SyncGroupParams) {
    return this.#record('sync', p, { error: 'NONE' as ErrorName, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from('a') });
  }
  fetchOffsets(p: OffsetFetchParams): Promise<OffsetFetchResult> {
    return this.#record('fetch', p, this.fetchResult);
  }
  commitOffsets(p: OffsetCommitParams) {
    const partitions = p.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error: 'NONE' as ErrorName }));
    return this.#record('commit', p, { error: 'NONE' as ErrorName, partitions });
  }
  paramsOf(api: string): unknown[] {
    return this.calls.filter((c) => c.api === api).map((c) => c.params);
  }
}

function setup(opts: { knownTopics?: readonly string[]; lookup?: CoordinatorLookup } = {}) {
  const coordinator = new StubCoordinator();
  const known = new Set(opts.knownTopics ?? ['t']);
  const services = {
    groupCoordinator: coordinator,
    offsetsTopic: { coordinatorFor: () => Promise.resolve(opts.lookup ?? { ok: true, brokerId: 2 }) },
    metadataCache: {
      broker: (id: number) => (id === 2 ? { id: 2, rack: null, endpoints: [{ listener: 'PLAINTEXT', host: 'b2.local', port: 9093, securityProtocol: 'PLAINTEXT' }] } : undefined),
      partition: (topic: string) => (known.has(topic) ? { topic } : undefined),
    },
  } as unknown as BrokerServices;
  return { coordinator, services };
}

function ctxFor(apiKey: number, apiVersion: number): RequestContext {
  return {
    header: { apiKey, apiVersion, correlationId: 7, clientId: 'cli' },
    clientAddress: '127.0.0.1:50000',
    listenerName: 'PLAINTEXT',
    securityProtocol: 'PLAINTEXT',
    connectionId: 'c1',
    signal: new AbortController().signal,
    receivedAtMs: 0,
  } as unknown as RequestContext;
}

/** Runs the handler at `version`, encodes its answer with the protocol codec and decodes it back. */
async function call(handler: RequestHandler, version: number, request: unknown): Promise<Record<string, unknown>> {
  const body = await handler.handle(ctxFor(handler.apiKey, version), request);
  const frame = Buffer.concat(encodeResponse({ apiKey: handler.apiKey, apiVersion: version, correlationId: 7 }, body));
  const decoded = decodeResponse(frame.subarray(4), handler.apiKey, version);
  assert.equal(decoded.correlationId, 7);
  return decoded.body as Record<string, unknown>;
}

const versions = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const code = (name: ErrorName): number => errorCode(name);

describe('group handlers', () => {
  test('LeaveGroup v0-2 answers the single member error at the top level; v3+ lists the members', async () => {
    for (const v of versions(0, 2)) {
      const { coordinator, services } = setup();
      coordinator.leaveResult = { error: 'NONE', members: [{ memberId: 'm', groupInstanceId: null, error: 'UNKNOWN_MEMBER_ID' }] };
      const body = await call(leaveGroupHandler(services), v, { groupId: 'g', memberId: 'm' });
      assert.equal(body['errorCode'], code('UNKNOWN_MEMBER_ID'), `v${v}`);
      assert.equal(body['members'], undefined);
      assert.deepEqual(coordinator.paramsOf('leave'), [{ groupId: 'g', members: [{ memberId: 'm', groupInstanceId: null, reason: null }] }]);
      coordinator.leaveResult = { error: 'NOT_COORDINATOR', members: [] };
      assert.equal((await call(leaveGroupHandler(services), v, { groupId: 'g', memberId: 'm' }))['errorCode'], code('NOT_COORDINATOR'));
    }
    for (const v of versions(3, 5)) {
      const { coordinator, services } = setup();
      coordinator.leaveResult = {
        error: 'NONE',
        members: [
          { memberId: 'a', groupInstanceId: null, error: 'NONE' },
          { memberId: '', groupInstanceId: 'i', error: 'UNKNOWN_MEMBER_ID' },
        ],
      };
      // The reason field exists from v5.
      const members = [
        { memberId: 'a', groupInstanceId: null, ...(v >= 5 ? { reason: 'bye' } : {}) },
        { memberId: '', groupInstanceId: 'i', ...(v >= 5 ? { reason: null } : {}) },
      ];
      const body = await call(leaveGroupHandler(services), v, { groupId: 'g', members });
      assert.equal(body['errorCode'], 0);
      assert.deepEqual(body['members'], [
        { memberId: 'a', groupInstanceId: null, errorCode: 0 },
        { memberId: '', groupInstanceId: 'i', errorCode: code('UNKNOWN_MEMBER_ID') },
      ]);
      const sent = coordinator.paramsOf('leave')[0] as LeaveGroupParams;
      assert.deepEqual(sent.members.map((m) => m.reason), [v >= 5 ? 'bye' : null, null]);
    }
  });

  test('JoinGroup v0 takes the session timeout as rebalance timeout; the protocol name is "" (not null) before v7', async () => {
    const request = (v: number) => ({
      groupId: 'g',
      sessionTimeoutMs: 10_000,
      ...(v >= 1 ? { rebalanceTimeoutMs: 45_000 } : {}),
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from('sub') }],
      reason: null,
    });
    for (const v of versions(0, 9)) {
      const { coordinator, services } = setup();
      coordinator.joinResult = { ...coordinator.joinResult, error: 'MEMBER_ID_REQUIRED', protocolName: null, protocolType: null, members: [] };
      const body = await call(joinGroupHandler(services), v, request(v));
      assert.equal(body['errorCode'], code('MEMBER_ID_REQUIRED'));
      assert.equal(body['protocolName'], v < 7 ? '' : null, `v${v}`);
      const sent = coordinator.paramsOf('join')[0] as JoinGroupParams;
      assert.equal(sent.rebalanceTimeoutMs, v === 0 ? 10_000 : 45_000, `v${v}`);
      assert.equal(sent.requireKnownMemberId, v >= 4);
      assert.equal(sent.supportsSkipAssignment, v >= 9);
      assert.equal(sent.clientId, 'cli');
    }
    const { services } = setup();
    const leader = await call(joinGroupHandler(services), 7, request(7));
    assert.equal(leader['protocolName'], 'range');
    assert.equal((leader['members'] as unknown[]).length, 1);
  });

  test('FindCoordinator v4 answers each key of the batch; key type 1 (transactions) is INVALID_REQUEST', async () => {
    const { services } = setup();
    const batch = await call(findCoordinatorHandler(services), 4, { keyType: 0, coordinatorKeys: ['a', 'b'] });
    assert.deepEqual(
      (batch['coordinators'] as Record<string, unknown>[]).map((c) => [c['key'], c['nodeId'], c['host'], c['port'], c['errorCode']]),
      [['a', 2, 'b2.local', 9093, 0], ['b', 2, 'b2.local', 9093, 0]],
    );
    const txn = await call(findCoordinatorHandler(services), 4, { keyType: 1, coordinatorKeys: ['tx'] });
    assert.deepEqual((txn['coordinators'] as Record<string, unknown>[]).map((c) => [c['key'], c['errorCode'], c['nodeId']]), [['tx', code('INVALID_REQUEST'), -1]]);
    for (const v of versions(0, 3)) {
      const one = await call(findCoordinatorHandler(services), v, { key: 'a', keyType: 0 });
      assert.deepEqual([one['errorCode'], one['nodeId'], one['host'], one['port']], [0, 2, 'b2.local', 9093], `v${v}`);
      if (v >= 1) assert.equal((await call(findCoordinatorHandler(services), v, { key: 'tx', keyType: 1 }))['errorCode'], code('INVALID_REQUEST'));
    }
    const down = setup({ lookup: { ok: false, error: 'COORDINATOR_NOT_AVAILABLE', message: 'no leader' } });
    const refused = await call(findCoordinatorHandler(down.services), 3, { key: 'a', keyType: 0 });
    assert.deepEqual([refused['errorCode'], refused['errorMessage'], refused['nodeId']], [code('COORDINATOR_NOT_AVAILABLE'), 'no leader', -1]);
  });

  test('OffsetFetch v1 copies a group error into each requested partition; v2+ answers it at the top level with no topics', async () => {
    const request = { groupId: 'g', topics: [{ name: 't', partitionIndexes: [0, 1] }], requireStable: false };
    const { coordinator, services } = setup();
    coordinator.fetchResult = { error: 'COORDINATOR_LOAD_IN_PROGRESS', partitions: [] };
    const v1 = await call(offsetFetchHandler(services), 1, request);
    const topics = v1['topics'] as { name: string; partitions: Record<string, unknown>[] }[];
    assert.deepEqual(
      topics.map((t) => [t.name, t.partitions.map((p) => [p['partitionIndex'], p['committedOffset'], p['errorCode']])]),
      [['t', [[0, -1n, code('COORDINATOR_LOAD_IN_PROGRESS')], [1, -1n, code('COORDINATOR_LOAD_IN_PROGRESS')]]]],
    );
    for (const v of versions(2, 7)) {
      const body = await call(offsetFetchHandler(services), v, request);
      assert.equal(body['errorCode'], code('COORDINATOR_LOAD_IN_PROGRESS'), `v${v}`);
      assert.deepEqual(body['topics'], [], `v${v}`);
    }
    const v8 = await call(offsetFetchHandler(services), 8, { groups: [{ groupId: 'g', topics: request.topics }], requireStable: true });
    assert.deepEqual(v8['groups'], [{ groupId: 'g', topics: [], errorCode: code('COORDINATOR_LOAD_IN_PROGRESS') }]);

    coordinator.fetchResult = { error: 'NONE', partitions: [{ topic: 't', partition: 0, offset: 42, leaderEpoch: 3, metadata: 'm', error: 'NONE' }] };
    const ok = await call(offsetFetchHandler(services), 5, request);
    const part = (ok['topics'] as { partitions: Record<string, unknown>[] }[])[0]?.partitions[0];
    assert.deepEqual([part?.['committedOffset'], part?.['committedLeaderEpoch'], part?.['metadata'], ok['errorCode']], [42n, 3, 'm', 0]);
  });

  test('SyncGroup v5 without a protocol type or name is INCONSISTENT_GROUP_PROTOCOL; earlier versions pass null on', async () => {
    const sync = (over: Record<string, unknown>) => ({
      groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [], ...over,
    });
    const { coordinator, services } = setup();
    for (const missing of [{ protocolType: null }, { protocolName: null }]) {
      const body = await call(syncGroupHandler(services), 5, sync(missing));
      assert.equal(body['errorCode'], code('INCONSISTENT_GROUP_PROTOCOL'));
    }
    assert.equal(coordinator.paramsOf('sync').length, 0, 'refused before the coordinator');
    const full = await call(syncGroupHandler(services), 5, sync({}));
    assert.deepEqual([full['errorCode'], full['protocolName'], (full['assignment'] as Buffer).toString()], [0, 'range', 'a']);
    for (const v of versions(0, 4)) {
      assert.equal((await call(syncGroupHandler(services), v, sync({ protocolType: null, protocolName: null })))['errorCode'], 0, `v${v}`);
    }
    assert.deepEqual((coordinator.paramsOf('sync').at(-1) as SyncGroupParams).protocolType, null);
  });

  test('OffsetCommit: a topic the metadata cache lacks gets UNKNOWN_TOPIC_OR_PARTITION; the others are committed', async () => {
    const request = {
      groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n,
      topics: [
        { name: 'missing', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: null }] },
        { name: 't', partitions: [{ partitionIndex: 1, committedOffset: 7n, committedLeaderEpoch: 2, committedMetadata: 'x' }] },
      ],
    };
    for (const v of versions(2, 8)) {
      const { coordinator, services } = setup();
      const body = await call(offsetCommitHandler(services), v, request);
      const topics = (body['topics'] as { name: string; partitions: Record<string, unknown>[] }[]).map((t) => [t.name, t.partitions.map((p) => [p['partitionIndex'], p['errorCode']])]);
      assert.deepEqual(new Map(topics as [string, unknown][]), new Map([['missing', [[0, code('UNKNOWN_TOPIC_OR_PARTITION')]]], ['t', [[1, 0]]]]), `v${v}`);
      const sent = coordinator.paramsOf('commit') as OffsetCommitParams[];
      assert.deepEqual(sent.map((p) => p.offsets.map((o) => [o.topic, o.partition, o.offset])), [[['t', 1, 7]]]);
    }
    const { coordinator, services } = setup({ knownTopics: [] });
    await call(offsetCommitHandler(services), 8, request);
    assert.equal(coordinator.paramsOf('commit').length, 0, 'nothing known: the coordinator is not asked');
  });
});
