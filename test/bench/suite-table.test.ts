import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, formatNumber, formatTable, formatTarget, tableCells, UNITS, VERDICT, type SuiteRow } from '../../bench/suite/suite-table.js';

const fs = { value: 400, unit: UNITS.mbps, label: 'fs append' } as const;

describe('evaluate', () => {
  test('a relative target compares with factor × reference and gives the ratio', () => {
    const row: SuiteRow = { scenario: 'P1', measured: { value: 300, unit: UNITS.mbps }, reference: fs, target: { op: '>=', factor: 0.75 } };
    assert.deepEqual(evaluate(row), { ratio: 0.75, verdict: VERDICT.met });
    assert.deepEqual(evaluate({ ...row, measured: { value: 299, unit: UNITS.mbps } }), { ratio: 0.7475, verdict: VERDICT.missed });
  });

  test('an absolute target ignores the reference but the ratio is still shown', () => {
    const row: SuiteRow = {
      scenario: 'P7',
      measured: { value: 6.9, unit: UNITS.s },
      reference: { value: 6, unit: UNITS.s, label: 'session timeout' },
      target: { op: '<=', factor: 7, absolute: true },
    };
    const e = evaluate(row);
    assert.equal(e.verdict, VERDICT.met);
    assert.ok(Math.abs((e.ratio ?? 0) - 1.15) < 1e-9);
    assert.equal(evaluate({ ...row, measured: { value: 7.01, unit: UNITS.s } }).verdict, VERDICT.missed);
  });

  test('without a reference the factor is the bound in the measured unit', () => {
    assert.equal(evaluate({ scenario: 'P5', measured: { value: 5, unit: UNITS.ms }, target: { op: '<=', factor: 5 } }).verdict, VERDICT.met);
    assert.equal(evaluate({ scenario: 'P2', measured: { value: 999_999, unit: UNITS.recps }, target: { op: '>=', factor: 1e6 } }).verdict, VERDICT.missed);
  });

  test('no target gives no verdict; a missing measurement or reference gives an unknown one', () => {
    assert.deepEqual(evaluate({ scenario: 'limit', measured: { value: 1, unit: UNITS.mbps } }), { ratio: undefined, verdict: VERDICT.none });
    assert.equal(evaluate({ scenario: 'P1', measured: undefined, reference: fs, target: { op: '>=', factor: 0.75 } }).verdict, VERDICT.unknown);
    assert.equal(evaluate({ scenario: 'P1', measured: { value: 1, unit: UNITS.mbps }, reference: { ...fs, value: 0 }, target: { op: '>=', factor: 0.75 } }).verdict, VERDICT.unknown);
    assert.equal(evaluate({ scenario: 'P5', measured: { value: NaN, unit: UNITS.ms }, target: { op: '<=', factor: 5 } }).verdict, VERDICT.unknown);
  });
});

describe('formatting', () => {
  test('numbers: separators above 1000, three significant digits below', () => {
    assert.equal(formatNumber(1_234_567.8), '1,234,568');
    assert.equal(formatNumber(456.7), '457');
    assert.equal(formatNumber(45.67), '45.7');
    assert.equal(formatNumber(4.567), '4.57');
    assert.equal(formatNumber(0.04567), '0.046');
    assert.equal(formatNumber(0), '0');
  });

  test('targets name the reference or the unit', () => {
    assert.equal(formatTarget({ scenario: 'P3', measured: undefined, reference: { ...fs, label: 'fs append / 3' }, target: { op: '>=', factor: 0.8 } }), '≥ 0.80 × fs append / 3');
    assert.equal(formatTarget({ scenario: 'P5', measured: { value: 3, unit: UNITS.ms }, target: { op: '<=', factor: 5 } }), '≤ 5.00 ms');
    assert.equal(formatTarget({ scenario: 'x', measured: undefined }), '-');
  });

  test('cells of one row, in header order', () => {
    const row: SuiteRow = { scenario: 'P1 produce', measured: { value: 150, unit: UNITS.mbps }, reference: fs, target: { op: '>=', factor: 0.75 } };
    assert.deepEqual(tableCells(row), ['P1 produce', '150 MB/s', '400 MB/s (fs append)', '0.38', '≥ 0.75 × fs append', 'NO']);
    assert.deepEqual(tableCells({ scenario: 'P8', measured: undefined, note: 'failed' }), ['P8', 'n/a', '-', '-', '-', '-']);
  });

  test('a Markdown table with aligned columns and the notes below', () => {
    const text = formatTable([
      { scenario: 'limit: fs', measured: { value: 400, unit: UNITS.mbps } },
      { scenario: 'P9 RSS', measured: { value: 120, unit: UNITS.mb }, target: { op: '<=', factor: 150 }, note: 'after 10 s idle' },
    ]);
    const lines = text.split('\n');
    assert.equal(lines[0], '| scenario  | measured | limit/peer | ratio | target   | met? |');
    assert.equal(lines[1], '|-----------|---------:|------------|------:|----------|------|');
    assert.equal(lines[2], '| limit: fs | 400 MB/s | -          |     - | -        | -    |');
    assert.equal(lines[3], '| P9 RSS    |   120 MB | -          |     - | ≤ 150 MB | yes  |');
    assert.equal(lines[4], '');
    assert.equal(lines[5], '- P9 RSS: after 10 s idle');
    assert.equal(lines.length, 6);
  });
});
