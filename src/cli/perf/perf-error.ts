/** A perf run that cannot go on (no metadata, a non-retriable fetch error, corrupt data): the CLI prints the message and exits 1. */
export class PerfError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PerfError';
  }
}
