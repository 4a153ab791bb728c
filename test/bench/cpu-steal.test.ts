import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProcStat, stealText } from '../../bench/suite/cpu-steal.js';

test('steal is read from the aggregate cpu line of /proc/stat, as a share of all its time', () => {
  const before = parseProcStat('cpu  100 0 50 800 10 0 0 40 0 0\ncpu0 50 0 25 400 5 0 0 20 0 0\nintr 1\n');
  assert.deepEqual(before, { steal: 40, total: 1000 });
  const after = parseProcStat('cpu  200 0 100 1500 20 0 0 180 30 0\n');
  assert.deepEqual(after, { steal: 180, total: 2000 });
  assert.equal(stealText(before, after), '14.0 %');
  assert.equal(stealText(after, before), 'unknown');
  assert.equal(stealText(undefined, after), 'unknown');
  assert.equal(parseProcStat('intr 1\n'), undefined);
  assert.equal(parseProcStat('cpu  1 2 3\n'), undefined, 'a kernel without the steal column');
});
