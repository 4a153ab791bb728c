import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_DEFINITIONS, API_KEYS } from '../../src/protocol/apis/index.js';
import { Reader } from '../../src/protocol/reader.js';
import { decode, encode, type FieldSpec, type FieldType, type MessageSchema } from '../../src/protocol/schema.js';
import { Writer } from '../../src/protocol/writer.js';

/** A value for every field, away from defaults so tagged fields are written too. */
function sample(t: FieldType, seed: number): unknown {
  switch (t.kind) {
    case 'int8': return (seed % 100) + 1;
    case 'int16': return -300 - seed;
    case 'uint16': return 65000 - seed;
    case 'int32': return 100000 + seed;
    case 'int64': return -(2n ** 40n) - BigInt(seed);
    case 'float64': return 1.5 + seed;
    case 'bool': return true;
    case 'string': return `s-${seed}-é`;
    case 'nullableString': return seed % 2 === 0 ? null : `n-${seed}`;
    case 'bytes': return Buffer.from([seed & 0xff, 1, 2]);
    case 'nullableBytes': return seed % 2 === 0 ? null : Buffer.from([3, seed & 0xff]);
    case 'uuid': return `0123456789abcdef0123456789ab${(seed % 65536).toString(16).padStart(4, '0')}`.replace(
      /^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
    case 'records': return Buffer.alloc(1100 + seed, seed & 0xff);
    case 'array': return [sample(t.of as FieldType, seed + 1), sample(t.of as FieldType, seed + 2)];
    case 'struct': {
      const o: Record<string, unknown> = {};
      let i = 0;
      for (const [name, spec] of Object.entries(t.fields as Record<string, FieldSpec>)) {
        o[name] = sample(spec.kind === 'tagged' ? spec.type : spec, seed * 7 + ++i);
      }
      return o;
    }
  }
}

function roundTrip(schema: MessageSchema, value: unknown): { bytes: Buffer; decoded: unknown } {
  const w = new Writer();
  encode(schema, value as never, w);
  const bytes = w.toBuffer();
  const r = new Reader(bytes);
  const decoded = decode(schema, r);
  assert.equal(r.remaining, 0, 'decoder consumed every byte');
  return { bytes, decoded };
}

describe('every API version round trips', () => {
  for (const api of API_DEFINITIONS.values()) {
    test(`${api.name} v${api.minVersion}-v${api.maxVersion}`, () => {
      for (let v = api.minVersion; v <= api.maxVersion; v++) {
        for (const kind of ['request', 'response'] as const) {
          const schema = api[kind](v);
          assert.equal(schema.flexible, api.firstFlexibleVersion !== null && v >= api.firstFlexibleVersion);
          const value = sample(schema, v);
          const { bytes, decoded } = roundTrip(schema, value);
          assert.deepEqual(decoded, value, `${api.name} v${v} ${kind}`);
          // Re-encoding the decoded value gives identical bytes.
          const w = new Writer();
          encode(schema, decoded as never, w);
          assert.deepEqual(w.toBuffer(), bytes);
          // An empty value encodes defaults and decodes back to a complete object.
          const empty = roundTrip(schema, {}).decoded as Record<string, unknown>;
          assert.deepEqual(Object.keys(empty).sort(), Object.keys(value as object).sort());
        }
      }
    });
  }

  test('API_KEYS and API_DEFINITIONS agree and cover the advertised ranges', () => {
    assert.equal(API_DEFINITIONS.size, Object.keys(API_KEYS).length);
    for (const [name, key] of Object.entries(API_KEYS)) {
      assert.equal(API_DEFINITIONS.get(key)?.name, name);
    }
    const ranges = [...API_DEFINITIONS.values()].map((a) => `${a.name} ${a.minVersion}-${a.maxVersion}`);
    assert.ok(ranges.includes('Produce 3-9'));
    assert.ok(ranges.includes('Fetch 4-12'));
    assert.ok(ranges.includes('Metadata 0-12'));
    assert.ok(ranges.includes('OffsetCommit 2-8'));
    assert.ok(ranges.includes('AlterPartitionReassignments 0-0'));
    assert.ok(ranges.includes('ListPartitionReassignments 0-0'));
    assert.equal(API_DEFINITIONS.size, 29);
  });

  test('out-of-range versions throw UNSUPPORTED_VERSION', () => {
    const produce = API_DEFINITIONS.get(API_KEYS.Produce);
    assert.throws(() => produce?.request(2), { kind: 'UNSUPPORTED_VERSION' });
    assert.throws(() => produce?.response(10), { kind: 'UNSUPPORTED_VERSION' });
  });

  test('identical layouts are shared between versions', () => {
    const produce = API_DEFINITIONS.get(API_KEYS.Produce);
    assert.equal(produce?.request(4), produce?.request(3));
    assert.notEqual(produce?.response(8), produce?.response(7));
    // v7's request dates from v3 but its response from v5 (logStartOffset).
    assert.equal(produce?.response(7), produce?.response(5));
    assert.notEqual(produce?.response(7), produce?.response(3));
  });
});
