import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.js';
import {
  formatProperties,
  parseProperties,
  parsePropertiesMap,
  readPropertiesFile,
} from '../../src/config/properties-file.js';

describe('parseProperties', () => {
  test('comments, blank lines and the three separators', () => {
    const text = [
      '# a comment',
      '! another comment',
      '',
      '   ',
      'a=1',
      'b:2',
      'c 3',
      '  d   =   4  ',
      'e\t:\tfive',
      'f',
      'g=',
      'h = x=y:z',
    ].join('\n');
    assert.deepEqual(Object.fromEntries(parsePropertiesMap(text)), {
      a: '1',
      b: '2',
      c: '3',
      d: '4  ',
      e: 'five',
      f: '',
      g: '',
      h: 'x=y:z',
    });
  });

  test('line continuations join lines and drop the leading whitespace of the next line', () => {
    const text = 'listeners=PLAINTEXT://:9092,\\\n    INTERNAL://:9093\nnext=1\n';
    assert.deepEqual(Object.fromEntries(parsePropertiesMap(text)), {
      listeners: 'PLAINTEXT://:9092,INTERNAL://:9093',
      next: '1',
    });
  });

  test('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    assert.deepEqual(Object.fromEntries(parsePropertiesMap('path=C:\\\\\nx=1')), { path: 'C:\\', x: '1' });
  });

  test('a comment line ending in a backslash does not continue', () => {
    assert.deepEqual(Object.fromEntries(parsePropertiesMap('# note \\\na=1')), { a: '1' });
  });

  test('a continued line may look like a comment', () => {
    assert.deepEqual(Object.fromEntries(parsePropertiesMap('a=x\\\n  #y')), { a: 'x#y' });
  });

  test('escapes in keys and values', () => {
    const map = parsePropertiesMap('my\\ key\\=x=tab\\there\\nnl \\u0041\\q\r\nb=\\ lead');
    assert.deepEqual(Object.fromEntries(map), { 'my key=x': 'tab\there\nnl Aq', b: ' lead' });
  });

  test('CRLF and CR line endings', () => {
    assert.deepEqual(Object.fromEntries(parsePropertiesMap('a=1\r\nb=2\rc=3')), { a: '1', b: '2', c: '3' });
  });

  test('entries carry the line their logical line starts on; later duplicates win in the map', () => {
    const entries = parseProperties('# c\na=1\nb=2\\\n 3\na=4\n');
    assert.deepEqual(entries, [
      { key: 'a', value: '1', line: 2 },
      { key: 'b', value: '23', line: 3 },
      { key: 'a', value: '4', line: 5 },
    ]);
    assert.equal(parsePropertiesMap('a=1\na=4').get('a'), '4');
  });

  test('a malformed \\u escape is a ConfigError naming the line', () => {
    assert.throws(() => parseProperties('a=1\nb=\\u12G4'), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /line 2/);
      return true;
    });
  });
});

describe('formatProperties', () => {
  test('round-trips awkward keys and values', () => {
    const entries: [string, string][] = [
      ['simple', 'value'],
      ['with space', ' leading and trailing '],
      ['sep=:', 'a=b:c#d!e'],
      ['ctl', 'tab\tnl\ncr\rback\\slash\u0001'],
      ['unicode', 'héllo ✓'],
    ];
    const text = formatProperties(entries, 'generated\nby a test');
    assert.match(text, /^# generated\n# by a test\n/);
    assert.deepEqual([...parsePropertiesMap(text)], entries);
  });
});

describe('readPropertiesFile', () => {
  test('reads a file and reports an unreadable one as a ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sk-props-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'broker.id=3\n');
    assert.deepEqual(readPropertiesFile(file), [{ key: 'broker.id', value: '3', line: 1 }]);
    assert.throws(() => readPropertiesFile(join(dir, 'missing.properties')), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /cannot read configuration file .*missing\.properties/);
      return true;
    });
  });
});
