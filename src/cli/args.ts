/** A command-line mistake: the CLI prints the message and the command's usage, and exits with status 2. */
export class UsageError extends Error {
  readonly usage: string;
  constructor(message: string, usage: string) {
    super(message);
    this.name = 'UsageError';
    this.usage = usage;
  }
}

export interface OptionSpec {
  type: 'string' | 'int' | 'boolean';
  /** May be given more than once (`--override a=1 --override b=2`). */
  multiple?: boolean;
  min?: number;
  max?: number;
}

type Value = string | number | boolean;

/** The options of one command, with typed accessors. `--help`/`-h` is always accepted. */
export class ParsedOptions {
  readonly #values: ReadonlyMap<string, Value[]>;
  readonly #usage: string;
  readonly help: boolean;

  constructor(values: ReadonlyMap<string, Value[]>, help: boolean, usage: string) {
    this.#values = values;
    this.help = help;
    this.#usage = usage;
  }

  string(name: string): string | undefined {
    const v = this.#values.get(name)?.at(-1);
    return typeof v === 'string' ? v : undefined;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`missing required option --${name}`, this.#usage);
    return v;
  }

  strings(name: string): string[] {
    return (this.#values.get(name) ?? []).filter((v): v is string => typeof v === 'string');
  }

  int(name: string): number | undefined {
    const v = this.#values.get(name)?.at(-1);
    return typeof v === 'number' ? v : undefined;
  }

  flag(name: string): boolean {
    return this.#values.get(name)?.at(-1) === true;
  }
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` options. No positional arguments are accepted.
 * Throws UsageError for unknown options, missing values, repeated single options and out-of-range numbers.
 */
export function parseOptions(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>, usage: string): ParsedOptions {
  const values = new Map<string, Value[]>();
  let help = false;
  const fail = (message: string): never => {
    throw new UsageError(message, usage);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--') || arg === '--') fail(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (spec === undefined) fail(`unknown option --${name}`);
    else {
      let value: Value;
      if (spec.type === 'boolean') {
        if (eq >= 0) fail(`option --${name} takes no value`);
        value = true;
      } else {
        let text = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (text === undefined || (eq < 0 && text.startsWith('--'))) text = fail(`option --${name} needs a value`);
        value = spec.type === 'int' ? parseIntOption(name, text, spec, fail) : text;
      }
      const list = values.get(name) ?? [];
      if (list.length > 0 && spec.multiple !== true) fail(`option --${name} given more than once`);
      list.push(value);
      values.set(name, list);
    }
  }
  return new ParsedOptions(values, help, usage);
}

function parseIntOption(name: string, text: string, spec: OptionSpec, fail: (m: string) => never): number {
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) return fail(`option --${name} needs a whole number, got '${text}'`);
  if (spec.min !== undefined && n < spec.min) return fail(`option --${name} must be at least ${spec.min}, got ${n}`);
  if (spec.max !== undefined && n > spec.max) return fail(`option --${name} must be at most ${spec.max}, got ${n}`);
  return n;
}
