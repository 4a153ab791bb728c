import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { brokerNodeFlags, DEFAULT_BROKER_NODE_FLAGS } from '../../src/cli/broker-node-flags.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('broker node flags', () => {
  test('the defaults unless STREAMKEEPER_NODE_OPTS replaces them (empty: none)', () => {
    assert.deepEqual(brokerNodeFlags({}), [...DEFAULT_BROKER_NODE_FLAGS]);
    assert.deepEqual(brokerNodeFlags({ STREAMKEEPER_NODE_OPTS: ' --max-old-space-size=900  --initial-old-space-size=64 ' }), ['--max-old-space-size=900', '--initial-old-space-size=64']);
    assert.deepEqual(brokerNodeFlags({ STREAMKEEPER_NODE_OPTS: '' }), []);
  });

  test('node accepts every default flag on its command line', () => {
    const r = spawnSync(process.execPath, [...DEFAULT_BROKER_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [...DEFAULT_BROKER_NODE_FLAGS, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))']);
  });

  test("the Docker image's entry point starts node with the same flags", () => {
    const line = readFileSync(`${ROOT}docker/Dockerfile`, 'utf8').split('\n').find((l) => l.startsWith('ENTRYPOINT'));
    assert.ok(line !== undefined, 'the Dockerfile has an ENTRYPOINT');
    assert.deepEqual(JSON.parse(line.slice('ENTRYPOINT'.length)), ['node', ...DEFAULT_BROKER_NODE_FLAGS, 'dist/src/cli/main.js']);
  });
});
