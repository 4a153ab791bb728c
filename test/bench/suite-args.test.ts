import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnly, parseSuiteArgs, SCENARIO_IDS, SuiteUsageError } from '../../bench/suite/suite-args.js';

describe('parseSuiteArgs', () => {
  test('defaults: every scenario, full runs, the default data dir', () => {
    assert.deepEqual(parseSuiteArgs([]), { only: [...SCENARIO_IDS], quick: false, dataDir: undefined, profileDir: undefined, help: false });
  });

  test('all options', () => {
    const a = parseSuiteArgs(['--only', 'p3,P1', '--quick', '--data-dir', '/mnt/disk', '--profile-dir', 'prof']);
    assert.deepEqual(a, { only: ['P1', 'P3'], quick: true, dataDir: '/mnt/disk', profileDir: 'prof', help: false });
    assert.equal(parseSuiteArgs(['--data-dir=/x']).dataDir, '/x');
    assert.equal(parseSuiteArgs(['-h']).help, true);
  });

  test('unknown options, positionals, missing and empty values are usage errors', () => {
    assert.throws(() => parseSuiteArgs(['--fast']), SuiteUsageError);
    assert.throws(() => parseSuiteArgs(['P1']), SuiteUsageError);
    assert.throws(() => parseSuiteArgs(['--only']), SuiteUsageError);
    assert.throws(() => parseSuiteArgs(['--data-dir', ' ']), /--data-dir needs a directory/);
  });
});

describe('parseOnly', () => {
  test('keeps suite order, ignores case, blanks and repeats', () => {
    assert.deepEqual(parseOnly(' P9, p2 ,,P2'), ['P2', 'P9']);
  });

  test('names the unknown scenario', () => {
    assert.throws(() => parseOnly('P1,P10'), /unknown scenario 'P10'/);
    assert.throws(() => parseOnly(' , '), /at least one scenario/);
  });
});
