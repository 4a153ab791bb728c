import { Reader } from './reader.js';
import { Writer } from './writer.js';

/**
 * A tiny declarative DSL for Kafka message layouts. A schema is declared once per version with its
 * `flexible` flag; in flexible versions strings, bytes, arrays and records are compact and every struct
 * ends with a tagged-field section. `decode` and `encode` interpret it (compiled once per schema).
 */

export type PrimitiveKind =
  | 'int8' | 'int16' | 'uint16' | 'int32' | 'int64' | 'float64' | 'bool'
  | 'string' | 'nullableString' | 'bytes' | 'nullableBytes' | 'uuid' | 'records';

interface PrimitiveOutput {
  int8: number; int16: number; uint16: number; int32: number; int64: bigint; float64: number; bool: boolean;
  string: string; nullableString: string | null; bytes: Buffer; nullableBytes: Buffer | null; uuid: string;
  records: Buffer | null;
}
interface PrimitiveInput {
  int8: number; int16: number; uint16: number; int32: number; int64: bigint | number; float64: number;
  bool: boolean; string: string; nullableString: string | null; bytes: Uint8Array;
  nullableBytes: Uint8Array | null; uuid: string; records: Buffer | readonly Buffer[] | null;
}

export interface Primitive<K extends PrimitiveKind = PrimitiveKind> {
  readonly kind: K;
  readonly default?: unknown;
}
export interface ArrayType<E extends FieldType = FieldType, N extends boolean = boolean> {
  readonly kind: 'array';
  readonly of: E;
  readonly nullable: N;
  readonly default?: unknown;
}
export interface StructType<F extends Fields = Fields> {
  readonly kind: 'struct';
  readonly fields: F;
  readonly default?: unknown;
}
export interface Tagged<T extends FieldType = FieldType> {
  readonly kind: 'tagged';
  readonly tag: number;
  readonly type: T;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FieldType = Primitive | ArrayType<any, boolean> | StructType<any>;
export type FieldSpec = FieldType | Tagged;
export interface Fields {
  readonly [name: string]: FieldSpec;
}
export interface MessageSchema<F extends Fields = Fields> extends StructType<F> {
  readonly flexible: boolean;
}

/** The decoded value type of a schema or field type. */
export type Infer<T> = T extends Tagged<infer E>
  ? Infer<E>
  : T extends Primitive<infer K>
    ? PrimitiveOutput[K]
    : T extends ArrayType<infer E, infer N>
      ? N extends true ? Infer<E>[] | null : Infer<E>[]
      : T extends StructType<infer F>
        ? { -readonly [K in keyof F]: Infer<F[K]> }
        : never;

/** The value type `encode` accepts: every field optional (defaults fill in), int64 as bigint or number. */
export type InferInput<T> = T extends Tagged<infer E>
  ? InferInput<E>
  : T extends Primitive<infer K>
    ? PrimitiveInput[K]
    : T extends ArrayType<infer E, infer N>
      ? N extends true ? readonly InferInput<E>[] | null : readonly InferInput<E>[]
      : T extends StructType<infer F>
        ? { [K in keyof F]?: InferInput<F[K]> | undefined }
        : never;

const prim = <K extends PrimitiveKind>(kind: K): Primitive<K> => ({ kind });
export const int8 = prim('int8');
export const int16 = prim('int16');
export const uint16 = prim('uint16');
export const int32 = prim('int32');
export const int64 = prim('int64');
export const float64 = prim('float64');
export const bool = prim('bool');
export const string = prim('string');
export const nullableString = prim('nullableString');
export const bytes = prim('bytes');
export const nullableBytes = prim('nullableBytes');
export const uuid = prim('uuid');
/** Nullable bytes holding record batches: decoded as a zero-copy view, encoded from Buffer | Buffer[] | null. */
export const records = prim('records');

export const array = <E extends FieldType>(of: E): ArrayType<E, false> => ({ kind: 'array', of, nullable: false });
export const nullableArray = <E extends FieldType>(of: E): ArrayType<E, true> => ({ kind: 'array', of, nullable: true });
export const struct = <F extends Fields>(fields: F): StructType<F> => ({ kind: 'struct', fields });
/** A tagged field (flexible versions only); omitted on encode when undefined or equal to its default. */
export const tagged = <T extends FieldType>(tag: number, type: T): Tagged<T> => ({ kind: 'tagged', tag, type });
/** The same type with a declared default (used for undefined values and absent tagged fields). */
export const withDefault = <T extends FieldType>(type: T, value: Infer<T>): T => ({ ...type, default: value });
export const message = <F extends Fields>(flexible: boolean, fields: F): MessageSchema<F> =>
  ({ kind: 'struct', fields, flexible });

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

interface Codec {
  read(r: Reader): unknown;
  write(w: Writer, v: unknown): void;
  /** A fresh default value. */
  fallback(): unknown;
  isDefault(v: unknown): boolean;
}

const compiled = [new WeakMap<object, Codec>(), new WeakMap<object, Codec>()] as const;

function codecFor(t: FieldType, flexible: boolean): Codec {
  const cache = compiled[flexible ? 1 : 0];
  let c = cache.get(t);
  if (c === undefined) {
    c = build(t, flexible);
    cache.set(t, c);
  }
  return c;
}

function build(t: FieldType, flexible: boolean): Codec {
  if (t.kind === 'array') return arrayCodec(t, flexible);
  if (t.kind === 'struct') return structCodec(t, flexible);
  return primitiveCodec(t, flexible);
}

function primitiveCodec(t: Primitive, flexible: boolean): Codec {
  const declared = 'default' in t;
  const d = t.default;
  const scalar = (read: (r: Reader) => unknown, write: (w: Writer, v: never) => void, zero: unknown): Codec => {
    const fallback = declared ? d : zero;
    return {
      read,
      write: (w, v) => write(w, (v === undefined ? fallback : v) as never),
      fallback: () => fallback,
      isDefault: (v) => v === fallback || (typeof v === 'number' && typeof fallback === 'bigint' && BigInt(v) === fallback),
    };
  };
  switch (t.kind) {
    case 'int8': return scalar((r) => r.int8(), (w, v: number) => w.int8(v), 0);
    case 'int16': return scalar((r) => r.int16(), (w, v: number) => w.int16(v), 0);
    case 'uint16': return scalar((r) => r.uint16(), (w, v: number) => w.uint16(v), 0);
    case 'int32': return scalar((r) => r.int32(), (w, v: number) => w.int32(v), 0);
    case 'int64': return scalar((r) => r.int64(), (w, v: bigint | number) => w.int64(v), 0n);
    case 'float64': return scalar((r) => r.float64(), (w, v: number) => w.float64(v), 0);
    case 'bool': return scalar((r) => r.bool(), (w, v: boolean) => w.bool(v), false);
    case 'uuid': return scalar((r) => r.uuid(), (w, v: string) => w.uuid(v), ZERO_UUID);
    case 'string':
      return flexible
        ? scalar((r) => r.compactString(), (w, v: string) => w.compactNullableString(v), '')
        : scalar((r) => r.string(), (w, v: string) => w.nullableString(v), '');
    case 'nullableString':
      return flexible
        ? scalar((r) => r.compactNullableString(), (w, v: string | null) => w.compactNullableString(v), null)
        : scalar((r) => r.nullableString(), (w, v: string | null) => w.nullableString(v), null);
    case 'nullableBytes':
      return flexible
        ? scalar((r) => r.compactNullableBytes(), (w, v: Uint8Array | null) => w.compactNullableBytes(v), null)
        : scalar((r) => r.nullableBytes(), (w, v: Uint8Array | null) => w.nullableBytes(v), null);
    case 'bytes': {
      const c = flexible
        ? scalar((r) => r.compactBytes(), (w, v: Uint8Array) => w.compactNullableBytes(v), null)
        : scalar((r) => r.bytes(), (w, v: Uint8Array) => w.nullableBytes(v), null);
      const fallback = (): Buffer => (declared ? (d as Buffer) : Buffer.alloc(0));
      return {
        read: c.read,
        write: (w, v) => c.write(w, v === undefined ? fallback() : v),
        fallback,
        isDefault: (v) => v instanceof Uint8Array && v.length === 0,
      };
    }
    case 'records':
      return {
        read: flexible ? (r) => r.compactNullableBytes() : (r) => r.nullableBytes(),
        write: (w, v) => writeRecords(w, v as Buffer | readonly Buffer[] | null | undefined, flexible),
        fallback: () => null,
        isDefault: (v) => v === null || v === undefined,
      };
  }
}

function writeRecords(w: Writer, v: Buffer | readonly Buffer[] | null | undefined, flexible: boolean): void {
  if (v === null || v === undefined) {
    if (flexible) w.uvarint(0);
    else w.int32(-1);
    return;
  }
  const parts: readonly Buffer[] = Buffer.isBuffer(v) ? [v] : v;
  let size = 0;
  for (const p of parts) size += p.length;
  if (flexible) w.uvarint(size + 1);
  else w.int32(size);
  for (const p of parts) w.raw(p);
}

function arrayCodec(t: ArrayType, flexible: boolean): Codec {
  const item = codecFor(t.of, flexible);
  const readItem = (r: Reader): unknown => item.read(r);
  const declared = 'default' in t;
  const fallback = (): unknown => (declared ? t.default : t.nullable ? null : []);
  const read = flexible
    ? t.nullable ? (r: Reader) => r.compactNullableArray(readItem) : (r: Reader) => r.compactArray(readItem)
    : t.nullable ? (r: Reader) => r.nullableArray(readItem) : (r: Reader) => r.array(readItem);
  return {
    read,
    write: (w, v) => {
      const a = (v === undefined ? fallback() : v) as readonly unknown[] | null;
      if (a === null && !t.nullable) throw new TypeError('null in a non-nullable array');
      w.arrayLength(a === null ? null : a.length, flexible);
      if (a !== null) for (const x of a) item.write(w, x);
    },
    fallback,
    isDefault: (v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0),
  };
}

interface CompiledField { name: string; codec: Codec }
interface CompiledTag extends CompiledField { tag: number }

function structCodec(t: StructType, flexible: boolean): Codec {
  const regular: CompiledField[] = [];
  const tags: CompiledTag[] = [];
  for (const [name, spec] of Object.entries(t.fields)) {
    if (spec.kind === 'tagged') {
      if (flexible) tags.push({ name, tag: spec.tag, codec: codecFor(spec.type, flexible) });
    } else {
      regular.push({ name, codec: codecFor(spec, flexible) });
    }
  }
  tags.sort((a, b) => a.tag - b.tag);
  const byTag = new Map(tags.map((f) => [f.tag, f]));
  const fallback = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const f of regular) o[f.name] = f.codec.fallback();
    for (const f of tags) o[f.name] = f.codec.fallback();
    return o;
  };
  return {
    read: (r) => {
      const o: Record<string, unknown> = {};
      for (const f of regular) o[f.name] = f.codec.read(r);
      if (flexible) {
        for (const f of tags) o[f.name] = f.codec.fallback();
        r.taggedFields((tag, sub) => {
          const f = byTag.get(tag);
          if (f !== undefined) o[f.name] = f.codec.read(sub);
        });
      }
      return o;
    },
    write: (w, v) => {
      const o = (v ?? {}) as Record<string, unknown>;
      for (const f of regular) f.codec.write(w, o[f.name]);
      if (!flexible) return;
      const present = tags.filter((f) => o[f.name] !== undefined && !f.codec.isDefault(o[f.name]));
      w.uvarint(present.length);
      for (const f of present) {
        const sub = new Writer(64);
        f.codec.write(sub, o[f.name]);
        w.uvarint(f.tag).uvarint(sub.length);
        for (const c of sub.chunks()) w.raw(c);
      }
    },
    fallback,
    isDefault: (v) => {
      if (v === undefined || v === null) return true;
      const o = v as Record<string, unknown>;
      return [...regular, ...tags].every((f) => o[f.name] === undefined || f.codec.isDefault(o[f.name]));
    },
  };
}

/** Decode one message (or struct) from the reader. */
export function decode<S extends MessageSchema>(schema: S, reader: Reader): Infer<S> {
  return codecFor(schema, schema.flexible).read(reader) as Infer<S>;
}

/** Encode one message; undefined fields take their defaults. */
export function encode<S extends MessageSchema>(schema: S, value: InferInput<S>, writer: Writer): void {
  codecFor(schema, schema.flexible).write(writer, value);
}
