import { StreamkeeperError } from '../../util/errors.js';

/** A znode holds data this broker cannot parse. */
export class ZkDataFormatError extends StreamkeeperError {
  constructor(what: string, problem: string, options?: { cause?: unknown }) {
    super('UNKNOWN_SERVER_ERROR', `malformed ${what} znode data: ${problem}`, options);
  }
}

export type JsonObject = Record<string, unknown>;

/** Encodes a JSON znode payload. */
export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** Parses znode data that must be a JSON object. */
export function parseJsonObject(data: Buffer | string | null, what: string): JsonObject {
  if (data === null) throw new ZkDataFormatError(what, 'no data');
  const text = typeof data === 'string' ? data : data.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ZkDataFormatError(what, `not JSON: ${JSON.stringify(text.slice(0, 200))}`, { cause: err });
  }
  if (!isObject(parsed)) throw new ZkDataFormatError(what, `not a JSON object: ${JSON.stringify(text.slice(0, 200))}`);
  return parsed;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Typed field readers that name the znode kind and field in their errors. */
export class JsonFields {
  readonly #obj: JsonObject;
  readonly #what: string;
  constructor(obj: JsonObject, what: string) {
    this.#obj = obj;
    this.#what = what;
  }

  has(key: string): boolean {
    return this.#obj[key] !== undefined && this.#obj[key] !== null;
  }

  raw(key: string): unknown {
    return this.#obj[key];
  }

  int(key: string): number {
    const v = this.#obj[key];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    throw this.error(key, 'an integer', v);
  }

  /** An integer that Kafka writes as a decimal string (timestamps, block bounds); plain numbers are accepted too. */
  intString(key: string): number {
    const v = this.#obj[key];
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
    throw this.error(key, 'an integer string', v);
  }

  string(key: string): string {
    const v = this.#obj[key];
    if (typeof v === 'string') return v;
    throw this.error(key, 'a string', v);
  }

  intArray(key: string): number[] {
    return this.toIntArray(key, this.#obj[key]);
  }

  object(key: string): JsonObject {
    const v = this.#obj[key];
    if (isObject(v)) return v;
    throw this.error(key, 'an object', v);
  }

  array(key: string): unknown[] {
    const v = this.#obj[key];
    if (Array.isArray(v)) return v;
    throw this.error(key, 'an array', v);
  }

  /** `{"0":[1,2],"1":[2,3]}` -> Map(0 => [1,2], 1 => [2,3]). */
  partitionMap(key: string): Map<number, number[]> {
    const result = new Map<number, number[]>();
    for (const [k, v] of Object.entries(this.object(key))) {
      if (!/^\d+$/.test(k)) throw this.error(`${key}.${k}`, 'a partition number key', k);
      result.set(Number(k), this.toIntArray(`${key}.${k}`, v));
    }
    return result;
  }

  toIntArray(key: string, v: unknown): number[] {
    if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
    throw this.error(key, 'an array of integers', v);
  }

  version(supported: readonly number[]): number {
    const v = this.int('version');
    if (!supported.includes(v)) throw new ZkDataFormatError(this.#what, `unsupported version ${v} (expected ${supported.join('/')})`);
    return v;
  }

  error(key: string, expected: string, got: unknown): ZkDataFormatError {
    return new ZkDataFormatError(this.#what, `field '${key}' must be ${expected}, got ${JSON.stringify(got)}`);
  }
}

/** Parses a JSON object znode and returns its field readers. */
export function jsonFields(data: Buffer | string | null, what: string): JsonFields {
  return new JsonFields(parseJsonObject(data, what), what);
}

/** Map(0 => [1,2]) -> {"0":[1,2]}. */
export function partitionMapToJson(m: ReadonlyMap<number, readonly number[]>): Record<string, readonly number[]> {
  const out: Record<string, readonly number[]> = {};
  for (const [p, replicas] of [...m].sort((a, b) => a[0] - b[0])) out[String(p)] = replicas;
  return out;
}
