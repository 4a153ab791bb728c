import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions, UsageError } from '../../src/cli/args.js';

const SPECS = {
  'data-dir': { type: 'string' },
  brokers: { type: 'int', min: 1, max: 64 },
  override: { type: 'string', multiple: true },
  detach: { type: 'boolean' },
} as const;

function usageError(pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof UsageError);
    assert.equal(err.usage, 'USAGE');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('parseOptions', () => {
  test('values, = syntax, repeated options and flags', () => {
    const opts = parseOptions(['--data-dir', './d', '--brokers=5', '--override', 'a=1', '--override=b=2', '--detach'], SPECS, 'USAGE');
    assert.equal(opts.string('data-dir'), './d');
    assert.equal(opts.requiredString('data-dir'), './d');
    assert.equal(opts.int('brokers'), 5);
    assert.deepEqual(opts.strings('override'), ['a=1', 'b=2']);
    assert.equal(opts.flag('detach'), true);
    assert.equal(opts.help, false);
  });

  test('absent options', () => {
    const opts = parseOptions([], SPECS, 'USAGE');
    assert.equal(opts.string('data-dir'), undefined);
    assert.equal(opts.int('brokers'), undefined);
    assert.deepEqual(opts.strings('override'), []);
    assert.equal(opts.flag('detach'), false);
    assert.throws(() => opts.requiredString('data-dir'), usageError(/missing required option --data-dir/));
  });

  test('--help and -h', () => {
    assert.equal(parseOptions(['--help'], SPECS, 'USAGE').help, true);
    assert.equal(parseOptions(['--brokers', '2', '-h'], SPECS, 'USAGE').help, true);
  });

  test('mistakes are UsageErrors with a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['--nope'], /unknown option --nope/],
      [['positional'], /unexpected argument 'positional'/],
      [['--data-dir'], /option --data-dir needs a value/],
      [['--data-dir', '--detach'], /option --data-dir needs a value/],
      [['--brokers', 'three'], /needs a whole number, got 'three'/],
      [['--brokers', '0'], /must be at least 1, got 0/],
      [['--brokers', '65'], /must be at most 64, got 65/],
      [['--detach=yes'], /--detach takes no value/],
      [['--data-dir', 'a', '--data-dir', 'b'], /--data-dir given more than once/],
    ];
    for (const [args, pattern] of cases) assert.throws(() => parseOptions(args, SPECS, 'USAGE'), usageError(pattern), args.join(' '));
  });
});
