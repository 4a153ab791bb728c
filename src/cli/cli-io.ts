/** Where a command writes and what environment it sees; the real process in main.ts, buffers in tests. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
};

/** Resolves with the name of the first of `signals` received; a later one calls `onRepeat`. Handlers stay installed. */
export function firstSignal(signals: readonly NodeJS.Signals[], onRepeat: (signal: NodeJS.Signals) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) onRepeat(signal);
      received = true;
      resolve(signal);
    };
    for (const s of signals) process.on(s, handler);
  });
}
