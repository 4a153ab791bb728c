import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { brokerNodeFlags, DEFAULT_BROKER_NODE_FLAGS } from '../../src/cli/broker-node-flags.js';

describe('broker node flags', () => {
  test('the defaults unless STREAMKEEPER_NODE_OPTS replaces them (empty: none)', () => {
    assert.deepEqual(brokerNodeFlags({}), [...DEFAULT_BROKER_NODE_FLAGS]);
    assert.deepEqual(brokerNodeFlags({ STREAMKEEPER_NODE_OPTS: ' --max-old-space-size=900  --initial-old-space-size=64 ' }), ['--max-old-space-size=900', '--initial-old-space-size=64']);
    assert.deepEqual(brokerNodeFlags({ STREAMKEEPER_NODE_OPTS: '' }), []);
  });

  test('npm run bench gives its load generator the same flags', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts['bench'] ?? '', new RegExp(`exec node ${DEFAULT_BROKER_NODE_FLAGS.join(' ')} dist/bench/suite/run-suite\\.js`));
  });

  test('node accepts every default flag on its command line', () => {
    const r = spawnSync(process.execPath, [...DEFAULT_BROKER_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [...DEFAULT_BROKER_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))']);
  });
});
