// Regenerates src/protocol/apis/<api>/v<N>.ts and index.ts from specs.mjs:
//   node src/protocol/apis/gen/generate.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SPECS } from './specs.mjs';

const APIS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const inRange = (range, v) => {
  if (range === undefined) return false;
  if (range.endsWith('+')) return v >= Number(range.slice(0, -1));
  const [lo, hi = lo] = range.split('-').map(Number);
  return v >= lo && v <= hi;
};
const snake = (s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const isFlexible = (api, v) => api.flex !== null && v >= api.flex;

// Resolve the fields present at version v into a tree: { name, t, tag?, d? }.
// t: { k: 'prim', kind } | { k: 'array', of: t, nullable } | { k: 'struct', fields }
function resolve(fields, v, flexible) {
  const out = [];
  for (const fd of fields) {
    if (!inRange(fd.versions, v)) continue;
    if (fd.tag !== undefined && !flexible) continue;
    const nullable = inRange(fd.n, v);
    let t;
    if (typeof fd.type === 'string' && fd.type.startsWith('[]')) {
      t = { k: 'array', of: { k: 'prim', kind: fd.type.slice(2) }, nullable };
    } else if (typeof fd.type === 'string') {
      let kind = fd.type;
      if (nullable && kind === 'string') kind = 'nullableString';
      if (nullable && kind === 'bytes') kind = 'nullableBytes';
      t = { k: 'prim', kind };
    } else if (Array.isArray(fd.type)) {
      t = { k: 'array', of: { k: 'struct', fields: resolve(fd.type, v, flexible) }, nullable };
    } else {
      t = { k: 'struct', fields: resolve(fd.type.struct, v, flexible) };
    }
    out.push({ name: fd.name, t, tag: fd.tag, d: fd.d });
  }
  return out;
}

const literal = (kind, d) => (kind === 'int64' ? `${d}n` : JSON.stringify(d));

function tsType(t, indent) {
  if (t.k === 'prim') return t.kind;
  if (t.k === 'array') return `${t.nullable ? 'nullableArray' : 'array'}(${tsType(t.of, indent)})`;
  return `struct(${tsFields(t.fields, indent)})`;
}
function tsFields(fields, indent) {
  if (fields.length === 0) return '{}';
  const pad = '  '.repeat(indent + 1);
  const lines = fields.map((fd) => {
    let s = tsType(fd.t, indent + 1);
    if (fd.d !== undefined && fd.d !== null && fd.t.k === 'prim') s = `withDefault(${s}, ${literal(fd.t.kind, fd.d)})`;
    if (fd.tag !== undefined) s = `tagged(${fd.tag}, ${s})`;
    return `${pad}${fd.name}: ${s},`;
  });
  return `{\n${lines.join('\n')}\n${'  '.repeat(indent)}}`;
}

function usedIdents(fields, acc = new Set()) {
  for (const fd of fields) {
    if (fd.d !== undefined && fd.d !== null && fd.t.k === 'prim') acc.add('withDefault');
    if (fd.tag !== undefined) acc.add('tagged');
    const walk = (t) => {
      if (t.k === 'prim') acc.add(t.kind);
      else if (t.k === 'array') { acc.add(t.nullable ? 'nullableArray' : 'array'); walk(t.of); }
      else { acc.add('struct'); usedIdents(t.fields, acc); }
    };
    walk(fd.t);
  }
  return acc;
}

// Kafka's BNF-style grammar: top line plus one line per nested struct.
function grammar(title, fields, flexible) {
  const lines = [];
  const render = (fs) => {
    const parts = [];
    for (const fd of fs) {
      if (fd.tag !== undefined) continue;
      const n = snake(fd.name);
      parts.push(fd.t.k === 'array' ? `[${n}]` : n);
    }
    if (flexible) parts.push('TAG_BUFFER');
    return parts.join(' ');
  };
  lines.push(`${title} => ${render(fields)}`);
  const nested = (fs, depth) => {
    for (const fd of fs) {
      const inner = fd.t.k === 'array' ? fd.t.of : fd.t;
      if (inner.k !== 'struct') continue;
      const tag = fd.tag !== undefined ? ` (tag ${fd.tag})` : '';
      lines.push(`${'  '.repeat(depth)}${snake(fd.name)}${tag} => ${render(inner.fields)}`);
      nested(inner.fields, depth + 1);
    }
  };
  nested(fields, 1);
  return lines.map((l) => `// ${l}`).join('\n');
}

// Superset type over all versions: fields absent from some versions of their parent are optional.
function merge(target, fields) {
  target.seen += 1;
  for (const fd of fields) {
    let m = target.fields.get(fd.name);
    if (m === undefined) {
      m = { seen: 0, t: null };
      target.fields.set(fd.name, m);
    }
    m.seen += 1;
    m.t = mergeType(m.t, fd.t);
  }
}
function mergeType(acc, t) {
  if (t.k === 'prim') {
    if (acc === null) return { ...t };
    const nullableOf = { string: 'nullableString', bytes: 'nullableBytes' };
    if (acc.kind !== t.kind && nullableOf[acc.kind] === t.kind) return { ...t };
    return acc;
  }
  if (t.k === 'array') {
    const a = acc ?? { k: 'array', of: null, nullable: false };
    return { k: 'array', of: mergeType(a.of, t.of), nullable: a.nullable || t.nullable };
  }
  const s = acc ?? { k: 'struct', seen: 0, fields: new Map() };
  merge(s, t.fields);
  return s;
}

const OUT = {
  int8: 'number', int16: 'number', uint16: 'number', int32: 'number', int64: 'bigint', float64: 'number',
  bool: 'boolean', string: 'string', nullableString: 'string | null', bytes: 'Buffer',
  nullableBytes: 'Buffer | null', uuid: 'string', records: 'Buffer | null',
};
const IN = {
  ...OUT, int64: 'bigint | number', bytes: 'Uint8Array', nullableBytes: 'Uint8Array | null',
  records: 'Buffer | readonly Buffer[] | null',
};
function typeText(t, input, indent) {
  if (t.k === 'prim') return (input ? IN : OUT)[t.kind];
  if (t.k === 'array') {
    const inner = typeText(t.of, input, indent);
    const arr = input ? `ReadonlyArray<${inner}>` : `Array<${inner}>`;
    return t.nullable ? `${arr} | null` : arr;
  }
  const pad = '  '.repeat(indent + 1);
  const lines = [...t.fields].map(([name, m]) => {
    const optional = input || m.seen < t.seen;
    return `${pad}${name}${optional ? '?' : ''}: ${typeText(m.t, input, indent + 1)}${input ? ' | undefined' : ''};`;
  });
  return `{\n${lines.join('\n')}\n${'  '.repeat(indent)}}`;
}

function generate(api) {
  const dir = join(APIS_DIR, api.dir);
  mkdirSync(dir, { recursive: true });
  let prev = null;
  const supers = { req: { k: 'struct', seen: 0, fields: new Map() }, resp: { k: 'struct', seen: 0, fields: new Map() } };
  for (let v = api.min; v <= api.max; v++) {
    const flexible = isFlexible(api, v);
    const req = resolve(api.req, v, flexible);
    const resp = resolve(api.resp, v, flexible);
    merge(supers.req, req);
    merge(supers.resp, resp);
    const reqSrc = `message(${flexible}, ${tsFields(req, 0)})`;
    const respSrc = `message(${flexible}, ${tsFields(resp, 0)})`;
    const header = [
      grammar(`${api.name} Request (Version: ${v})`, req, flexible),
      grammar(`${api.name} Response (Version: ${v})`, resp, flexible),
    ].join('\n');
    const body = [];
    const reexports = [];
    const idents = new Set(['message']);
    if (prev !== null && prev.reqSrc === reqSrc) reexports.push('request');
    else { body.push(`export const request = ${reqSrc};`); usedIdents(req, idents); }
    if (prev !== null && prev.respSrc === respSrc) reexports.push('response');
    else { body.push(`export const response = ${respSrc};`); usedIdents(resp, idents); }
    const lines = [header];
    // Group re-exports by the version that first declared each layout.
    const bySource = new Map();
    for (const name of reexports) bySource.set(prev.source[name], [...(bySource.get(prev.source[name]) ?? []), name]);
    for (const [src, names] of bySource) lines.push(`export { ${names.join(', ')} } from './v${src}.js';`);
    if (body.length > 0) lines.push(`import { ${[...idents].sort().join(', ')} } from '../../schema.js';`, '', ...body);
    if (reexports.length === 2) lines.splice(1, 0, '// Same layout as the previous version.');
    writeFileSync(join(dir, `v${v}.ts`), `${lines.join('\n')}\n`);
    const source = {
      request: reexports.includes('request') ? prev.source.request : v,
      response: reexports.includes('response') ? prev.source.response : v,
    };
    prev = { reqSrc, respSrc, source };
  }
  const camel = api.name[0].toLowerCase() + api.name.slice(1);
  const versions = [];
  for (let v = api.min; v <= api.max; v++) versions.push(v);
  const index = [
    `// ${api.name} (api key ${api.key}), versions ${api.min}-${api.max}. Generated by gen/generate.mjs.`,
    `import { defineApi } from '../api-definition.js';`,
    ...versions.map((v) => `import * as v${v} from './v${v}.js';`),
    '',
    `export const ${camel}Api = defineApi({`,
    `  apiKey: ${api.key},`,
    `  name: '${api.name}',`,
    `  minVersion: ${api.min},`,
    `  maxVersion: ${api.max},`,
    `  firstFlexibleVersion: ${api.flex},`,
    `}, [${versions.map((v) => `v${v}`).join(', ')}]);`,
    '',
    `/** Decoded ${api.name} request, superset of all versions (fields missing in some versions are optional). */`,
    `export type ${api.name}Request = ${typeText(supers.req, false, 0)};`,
    '',
    `/** Decoded ${api.name} response, superset of all versions. */`,
    `export type ${api.name}Response = ${typeText(supers.resp, false, 0)};`,
    '',
    `/** What encode accepts for a ${api.name} request: every field optional, defaults fill in. */`,
    `export type ${api.name}RequestInput = ${typeText(supers.req, true, 0)};`,
    '',
    `/** What encode accepts for a ${api.name} response: every field optional, defaults fill in. */`,
    `export type ${api.name}ResponseInput = ${typeText(supers.resp, true, 0)};`,
  ];
  writeFileSync(join(dir, 'index.ts'), `${index.join('\n')}\n`);
  return camel;
}

const names = SPECS.map((api) => ({ api, camel: generate(api) }));
const keys = [...names].sort((a, b) => a.api.key - b.api.key);
const top = [
  '// Every API Streamkeeper implements. Generated by gen/generate.mjs.',
  `import type { ApiDefinition } from './api-definition.js';`,
  ...keys.map(({ api, camel }) => `import { ${camel}Api } from './${api.dir}/index.js';`),
  '',
  `export type { ApiDefinition, VersionSchemas } from './api-definition.js';`,
  ...keys.map(({ api, camel }) =>
    `export { ${camel}Api, type ${api.name}Request, type ${api.name}Response, type ${api.name}RequestInput, type ${api.name}ResponseInput } from './${api.dir}/index.js';`),
  '',
  'export const API_KEYS = {',
  ...keys.map(({ api }) => `  ${api.name}: ${api.key},`),
  '} as const;',
  'export type ApiName = keyof typeof API_KEYS;',
  '',
  'export const API_DEFINITIONS: ReadonlyMap<number, ApiDefinition> = new Map<number, ApiDefinition>([',
  ...keys.map(({ api, camel }) => `  [${api.key}, ${camel}Api],`),
  ']);',
];
writeFileSync(join(APIS_DIR, 'index.ts'), `${top.join('\n')}\n`);
console.log(`generated ${names.length} APIs`);
