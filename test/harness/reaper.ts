import fs from 'node:fs';

/**
 * Last line of defence against leaked processes: every process the harness starts is registered here and gets
 * SIGKILL when the test process exits (normally, by an uncaught error, or by SIGINT/SIGTERM from the test runner).
 */
const pids = new Set<number>();
const pidFiles = new Set<string>();
let installed = false;

function killAll(): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  for (const file of pidFiles) {
    try {
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // no pid file or already gone
    }
  }
  pidFiles.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

export function trackPid(pid: number): void {
  install();
  pids.add(pid);
}

export function untrackPid(pid: number): void {
  pids.delete(pid);
}

/** A process not started by us directly (ZooKeeper's JVM) whose pid is written to `file`. */
export function trackPidFile(file: string): void {
  install();
  pidFiles.add(file);
}

export function untrackPidFile(file: string): void {
  pidFiles.delete(file);
}

/** True while a process with this pid exists (and is not a zombie we could still reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z';
  } catch {
    return false;
  }
}
