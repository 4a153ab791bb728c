import { spawn } from 'node:child_process';

import { trackPid, untrackPid } from './reaper.js';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs `command args`, feeding `input` on stdin; SIGKILL after `timeoutMs`. Resolves when the process exits
 * (not when its pipes close: a command that leaves detached children holding them still returns).
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  opts: { readonly input?: string; readonly timeoutMs: number; readonly cwd?: string },
): Promise<CommandResult> {
  return await new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }) });
    const pid = child.pid;
    if (pid !== undefined) trackPid(pid);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (pid !== undefined) untrackPid(pid);
      const finish = (): void => {
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({
          code,
          signal,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
        });
      };
      const grace = setTimeout(finish, 300);
      child.once('close', () => {
        clearTimeout(grace);
        finish();
      });
    });
    child.stdin.on('error', () => {
      // the command may exit before reading all input; its exit code tells the story
    });
    child.stdin.end(opts.input ?? '');
  });
}
