/** One JSON log line of a broker (winston JSON format): `message`, `level`, module fields and the rest. */
export type LogEntry = Readonly<Record<string, unknown>> & { readonly message?: unknown; readonly level?: unknown };

/** Parses the JSON lines of a broker log; other lines (harness markers, stack traces) are skipped. */
export function logEntries(text: string): LogEntry[] {
  const out: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (typeof parsed === 'object' && parsed !== null) out.push(parsed as LogEntry);
    } catch {
      // a line cut by a crash
    }
  }
  return out;
}

/** The entries whose message equals `message` (or matches it, for a RegExp). */
export function entriesWith(text: string, message: string | RegExp): LogEntry[] {
  return logEntries(text).filter((e) =>
    typeof e.message === 'string' && (typeof message === 'string' ? e.message === message : message.test(e.message)),
  );
}
