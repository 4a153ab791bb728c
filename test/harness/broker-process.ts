import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

import { brokerNodeFlags } from '../../src/cli/broker-node-flags.js';
import { cliPath } from './paths.js';
import { trackPid, untrackPid } from './reaper.js';

/** Writes a Java-style properties file (`key=value` per line). */
export function writeProperties(file: string, props: Readonly<Record<string, string>>): void {
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(file, `# written by test/harness\n${lines.join('\n')}\n`);
}

/**
 * Starts `node <broker node flags> dist/src/cli/main.js broker --config <file> [...extraArgs]` (the flags `cluster up`
 * and the Docker image use) with stdout+stderr appended to `logFile`.
 */
export function spawnBroker(configFile: string, logFile: string, extraArgs: readonly string[] = []): ChildProcess {
  if (!fs.existsSync(cliPath)) {
    throw new Error(`broker CLI not built: ${cliPath} is missing (run npx tsc -p tsconfig.json)`);
  }
  const fd = fs.openSync(logFile, 'a');
  try {
    const child = spawn(process.execPath, [...brokerNodeFlags(), cliPath, 'broker', '--config', configFile, ...extraArgs], {
      stdio: ['ignore', fd, fd],
      env: { ...process.env },
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn the broker (config ${configFile})`);
    trackPid(pid);
    child.once('exit', () => untrackPid(pid));
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

/** Resolves when `child` has exited (immediately if it already has). */
export async function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  return await new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/**
 * Sends `signal` and waits for the exit; escalates to SIGKILL after `graceMs`.
 * Returns how the process ended.
 */
export async function killAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals,
  graceMs = 20_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; escalated: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode, escalated: false };
  }
  const exited = waitForExit(child);
  child.kill(signal);
  let escalated = false;
  const timer = setTimeout(() => {
    escalated = true;
    child.kill('SIGKILL');
  }, graceMs);
  try {
    const result = await exited;
    return { ...result, escalated };
  } finally {
    clearTimeout(timer);
  }
}

export interface ExitedBroker {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the process was still running after `timeoutMs` and had to be killed. */
  readonly timedOut: boolean;
  readonly output: string;
  readonly elapsedMs: number;
}

/** Runs a broker that is expected to exit by itself (bad configuration); kills it after `timeoutMs`. */
export async function runBrokerToExit(
  configFile: string,
  logFile: string,
  extraArgs: readonly string[],
  timeoutMs: number,
): Promise<ExitedBroker> {
  const started = Date.now();
  const child = spawnBroker(configFile, logFile, extraArgs);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const { code, signal } = await waitForExit(child);
  clearTimeout(timer);
  return { code, signal, timedOut, output: fs.readFileSync(logFile, 'utf8'), elapsedMs: Date.now() - started };
}

/** Resident set size of `pid` in KiB from /proc/<pid>/status (VmRSS). */
export function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (m?.[1] === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

/** The last `lines` lines of a text file ('' if it does not exist). */
export function tailFile(file: string, lines = 40): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  return text.split('\n').slice(-lines - 1).join('\n');
}
