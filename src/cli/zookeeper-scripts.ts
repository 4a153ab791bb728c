import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { CliIo } from './cli-io.js';
import { PACKAGE_ROOT } from './cluster-layout.js';

/** Runs zk/<script> with bash, passing its output to stderr line by line; resolves its exit status. */
export function runZkScript(script: 'install.sh' | 'start.sh' | 'stop.sh', args: readonly string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(PACKAGE_ROOT, 'zk', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') io.stderr(line);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.once('error', (err) => {
      io.stderr(`streamkeeper: cannot run zk/${script}: ${err.message}`);
      resolve(127);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
