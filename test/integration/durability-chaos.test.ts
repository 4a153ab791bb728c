// Durability under failure: an acks=all producer (min.insync.replicas=2, RF=3, 6 partitions) keeps writing while
// brokers (partition leaders, the controller, followers) are killed with SIGKILL or SIGTERM and restarted, one at
// a time, for STREAMKEEPER_CHAOS_SECONDS (default 120). Afterwards every acknowledged record must be read back,
// in acknowledgement order per partition, at the offset it was acknowledged with.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { runDurabilityChaos } from '../harness/chaos.js';
import { useCluster } from '../harness/fixture.js';

const SESSION_TIMEOUT_MS = 4000;
const CHAOS_SECONDS = Number(process.env['STREAMKEEPER_CHAOS_SECONDS'] ?? '120');
/** At least this many acknowledged records per second of chaos, or the run proves nothing. */
const MIN_ACKED_PER_SECOND = 20;

describe('durability under failure (3 brokers, RF=3, min.insync.replicas=2, acks=all)', () => {
  const fx = useCluster({
    brokers: 3,
    overrides: {
      'zookeeper.session.timeout.ms': String(SESSION_TIMEOUT_MS),
      'replica.lag.time.max.ms': '4000',
      'streamkeeper.log.level': 'info',
    },
  });

  test(
    `every acknowledged record survives ${CHAOS_SECONDS} s of broker kills and restarts, in order per partition`,
    { timeout: CHAOS_SECONDS * 1000 + 240_000 },
    async () => {
      await fx.cluster.guard(async () => {
        assert.ok(Number.isFinite(CHAOS_SECONDS) && CHAOS_SECONDS > 0, 'STREAMKEEPER_CHAOS_SECONDS must be a positive number');
        const result = await runDurabilityChaos(fx.cluster, {
          chaosMs: CHAOS_SECONDS * 1000,
          partitions: 6,
          killer: { electionTimeoutMs: SESSION_TIMEOUT_MS + 12_000, isrWaitMs: 8000, extraDownMs: [500, 2000], pauseMs: 500 },
          log: (line) => console.log(`[chaos] ${line}`),
        });
        console.log(result.summary);
        const { report, kills } = result;

        assert.ok(kills.length >= 3, `only ${kills.length} kills happened`);
        assert.ok(kills.some((k) => k.wasController), 'the controller was killed at least once');
        const noFailover = kills.filter((k) => k.ledPartitions.length > 0 && k.newLeaderMs === undefined);
        assert.deepEqual(noFailover.map((k) => k.n), [], 'every killed leader was replaced');
        assert.ok(kills.some((k) => k.signal === 'SIGKILL'), 'at least one kill -9');
        if (kills.length >= 4) assert.ok(kills.some((k) => k.signal === 'SIGTERM'), 'at least one SIGTERM (every 4th kill)');
        const minAcked = CHAOS_SECONDS * MIN_ACKED_PER_SECOND;
        assert.ok(report.acknowledged >= minAcked, `only ${report.acknowledged} records acknowledged (want >= ${minAcked})`);
        assert.equal(report.foreign, 0, 'records that belong to no partition or to another partition');
        assert.equal(report.lost, 0, 'acknowledged records lost');
        assert.equal(report.orderViolations, 0, 'acknowledged records out of order');
        assert.equal(report.displaced, 0, 'acknowledged offsets that now hold other data');
        assert.ok(report.readBack >= report.acknowledged);
        assert.equal(result.chaosError, undefined, 'every kill and restart worked');
        assert.equal(result.recoveryError, undefined, 'every partition has a leader and a full ISR after the chaos');
      });
    },
  );
});
