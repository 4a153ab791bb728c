import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.js';

/** One key/value pair of a .properties file with the 1-based line on which its logical line starts. */
export interface PropertyEntry {
  key: string;
  value: string;
  line: number;
}

const WHITESPACE = new Set([' ', '\t', '\f']);

/** Splits text into logical lines: natural lines joined where one ends in an odd number of backslashes. */
function logicalLines(text: string): { text: string; line: number }[] {
  const natural = text.split(/\r\n|\r|\n/);
  const out: { text: string; line: number }[] = [];
  for (let i = 0; i < natural.length; i++) {
    const startLine = i + 1;
    let current = stripLeading(natural[i] ?? '');
    if (current === '' || current.startsWith('#') || current.startsWith('!')) continue;
    while (endsWithOddBackslashes(current) && i + 1 < natural.length) {
      i++;
      current = current.slice(0, -1) + stripLeading(natural[i] ?? '');
    }
    if (endsWithOddBackslashes(current)) current = current.slice(0, -1); // continuation at end of file
    out.push({ text: current, line: startLine });
  }
  return out;
}

function stripLeading(s: string): string {
  let i = 0;
  while (i < s.length && WHITESPACE.has(s[i] ?? '')) i++;
  return s.slice(i);
}

function endsWithOddBackslashes(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** Resolves Java escapes: \t \n \r \f, \uXXXX, and a backslash before any other character stands for that character. */
function unescape(s: string, line: number): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = s[++i] ?? '';
    if (next === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ConfigError(undefined, `Malformed \\uxxxx encoding on line ${line}`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[next] ?? next;
    }
  }
  return out;
}

/** Splits a logical line into raw (still escaped) key and value, the way java.util.Properties.load does. */
function splitKeyValue(line: string): [string, string] {
  let keyEnd = line.length;
  let valueStart = line.length;
  let separatorSeen = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '=' || c === ':') {
      keyEnd = i;
      valueStart = i + 1;
      separatorSeen = true;
      break;
    }
    if (WHITESPACE.has(c)) {
      keyEnd = i;
      valueStart = i + 1;
      break;
    }
  }
  let j = valueStart;
  while (j < line.length && WHITESPACE.has(line[j] ?? '')) j++;
  if (!separatorSeen && (line[j] === '=' || line[j] === ':')) j++;
  while (j < line.length && WHITESPACE.has(line[j] ?? '')) j++;
  return [line.slice(0, keyEnd), line.slice(j)];
}

/**
 * Parses Java .properties text: `#`/`!` comments, `key=value`, `key:value` or `key value`, backslash line
 * continuations and escapes. Later duplicates win in `parsePropertiesMap`; this returns every entry in order.
 */
export function parseProperties(text: string): PropertyEntry[] {
  return logicalLines(text).map(({ text: logical, line }) => {
    const [rawKey, rawValue] = splitKeyValue(logical);
    return { key: unescape(rawKey, line), value: unescape(rawValue, line), line };
  });
}

/** Parses .properties text into a map; a key given twice keeps its last value, as in Java. */
export function parsePropertiesMap(text: string): Map<string, string> {
  return new Map(parseProperties(text).map((e) => [e.key, e.value]));
}

/** Reads a .properties file (UTF-8); a file that cannot be read is a ConfigError. */
export function readPropertiesFile(path: string): PropertyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ConfigError(undefined, `cannot read configuration file ${path}: ${reason}`, { cause: err });
  }
  try {
    return parseProperties(text);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(undefined, `${path}: ${err.message}`, { cause: err });
    throw err;
  }
}

function escapeText(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    const code = c.charCodeAt(0);
    if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if (isKey && '=:#!'.includes(c)) out += `\\${c}`;
    else if (c === ' ' && (isKey || i === 0)) out += '\\ ';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** Formats entries as .properties text that parseProperties reads back unchanged (values keep `=` and `:` readable). */
export function formatProperties(entries: Iterable<readonly [string, string]>, comment?: string): string {
  const lines = comment === undefined ? [] : comment.split('\n').map((l) => `# ${l}`);
  for (const [key, value] of entries) lines.push(`${escapeText(key, true)}=${escapeText(value, false)}`);
  return lines.join('\n') + '\n';
}
