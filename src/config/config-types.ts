import { ConfigError } from './config-error.js';

/** Kafka's ConfigDef.Type names, lower-cased. */
export const CONFIG_TYPES = ['boolean', 'string', 'int', 'short', 'long', 'double', 'list', 'class', 'password'] as const;
export type ConfigType = (typeof CONFIG_TYPES)[number];

/** The JavaScript type a config of each Kafka type parses to. `long` becomes a number (see parseConfigValue). */
export interface ConfigValueTypes {
  boolean: boolean;
  string: string;
  int: number;
  short: number;
  long: number;
  double: number;
  list: readonly string[];
  class: string;
  password: string;
}
export type ConfigValue = ConfigValueTypes[ConfigType];

/** A value check; `check` returns the problem (Kafka's wording where it has one) or undefined when the value is fine. */
export interface Validator {
  readonly description: string;
  check(value: ConfigValue): string | undefined;
}

export type Importance = 'high' | 'medium' | 'low';

/** One configuration definition. The default is Kafka's, as text; null means "no default". */
export interface ConfigDef {
  readonly type: ConfigType;
  readonly default: string | null;
  readonly required: boolean;
  readonly validator: Validator | undefined;
  readonly importance: Importance;
  readonly doc: string;
  /** Kafka can change it per broker at run time (DynamicBrokerConfig); DescribeConfigs reports readOnly = !dynamic. */
  readonly dynamic: boolean;
  /** Its value is never printed or returned by DescribeConfigs. */
  readonly sensitive: boolean;
}

interface DefOptions<R extends boolean> {
  validator?: Validator;
  dynamic?: boolean;
  sensitive?: boolean;
  required?: R;
}

/** Builds a definition while keeping its type, default and required flag visible to the type checker. */
export function def<T extends ConfigType, D extends string | null, const R extends boolean = false>(
  type: T,
  dflt: D,
  importance: Importance,
  doc: string,
  opts: DefOptions<R> = {},
): ConfigDef & { readonly type: T; readonly default: D; readonly required: R } {
  return {
    type,
    default: dflt,
    required: (opts.required ?? false) as R,
    validator: opts.validator,
    importance,
    doc,
    dynamic: opts.dynamic ?? false,
    sensitive: opts.sensitive ?? type === 'password',
  };
}

/** The typed value of a definition: nullable unless it has a default or is required. */
export type ValueOfDef<D extends ConfigDef> =
  | ConfigValueTypes[D['type']]
  | (D['required'] extends true ? never : D['default'] extends string ? never : null);

// ---- validators (Kafka's ConfigDef.Range / ValidString / ValidList) ----

export function atLeast(min: number): Validator {
  return {
    description: `[${min},...]`,
    check: (v) => (typeof v === 'number' && v < min ? `Value must be at least ${min}` : undefined),
  };
}

export function between(min: number, max: number): Validator {
  return {
    description: `[${min},...,${max}]`,
    check: (v) =>
      typeof v === 'number' && (v < min || v > max) ? `Value must be between ${min} and ${max}` : undefined,
  };
}

/** For strings the value must be one of `values`; for lists every element must be. */
export function oneOf(...values: string[]): Validator {
  const problem = (s: string): string | undefined =>
    values.includes(s) ? undefined : `String must be one of: ${values.join(', ')}`;
  return {
    description: `[${values.join(', ')}]`,
    check(v) {
      if (typeof v === 'string') return problem(v);
      if (Array.isArray(v)) {
        for (const item of v as readonly string[]) {
          const p = problem(item);
          if (p !== undefined) return `Invalid value ${item}: ${p}`;
        }
      }
      return undefined;
    },
  };
}

export function matching(re: RegExp, description: string): Validator {
  return {
    description,
    check: (v) => (typeof v === 'string' && !re.test(v) ? `Value must be ${description}` : undefined),
  };
}

// ---- parsing (Kafka's ConfigDef.parseType) ----

const INT_RANGE = { int: [-(2 ** 31), 2 ** 31 - 1], short: [-(2 ** 15), 2 ** 15 - 1] } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

type Parsed = { ok: true; value: ConfigValue } | { ok: false; problem: string };
const ok = (value: ConfigValue): Parsed => ({ ok: true, value });
const bad = (problem: string): Parsed => ({ ok: false, problem });

function parseTyped(type: ConfigType, raw: string): Parsed {
  const s = raw.trim();
  switch (type) {
    case 'boolean': {
      const lower = s.toLowerCase();
      if (lower === 'true') return ok(true);
      if (lower === 'false') return ok(false);
      return bad('Expected value to be either true or false');
    }
    case 'int':
    case 'short': {
      const [min, max] = INT_RANGE[type];
      const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
      return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad(`Not a number of type ${type.toUpperCase()}`);
    }
    case 'long': {
      if (!/^[+-]?\d+$/.test(s)) return bad('Not a number of type LONG');
      const big = BigInt(s);
      if (big < LONG_MIN || big > LONG_MAX) return bad('Not a number of type LONG');
      // Values past 2^53 (in practice Long.MAX_VALUE, "never") are clamped so they stay exact integers.
      const n = Number(big);
      return ok(Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n)));
    }
    case 'double': {
      const n = s === '' ? NaN : Number(s);
      return Number.isFinite(n) ? ok(n) : bad('Not a number of type DOUBLE');
    }
    case 'list':
      return ok(s === '' ? [] : s.split(',').map((item) => item.trim()));
    case 'string':
    case 'class':
    case 'password':
      return ok(s);
  }
}

/**
 * Parses and validates one raw value. Throws ConfigError naming the key; the value is not echoed when sensitive.
 * `long` values are JS numbers, clamped to +/-Number.MAX_SAFE_INTEGER (Kafka's Long.MAX_VALUE means "never").
 */
export function parseConfigValue(name: string, definition: ConfigDef, raw: string): ConfigValue {
  const shown = definition.sensitive ? '[hidden]' : raw;
  const parsed = parseTyped(definition.type, raw);
  if (!parsed.ok) throw new ConfigError(name, `Invalid value ${shown} for configuration ${name}: ${parsed.problem}`);
  const value = parsed.value;
  const problem = definition.validator?.check(value);
  if (problem !== undefined) {
    throw new ConfigError(name, `Invalid value ${shown} for configuration ${name}: ${problem}`);
  }
  return value;
}
