import { existsSync, rmSync } from 'node:fs';
import { parseOptions } from './args.js';
import { EXIT } from './broker-command.js';
import type { CliIo } from './cli-io.js';
import { ClusterLayout } from './cluster-layout.js';
import { commandLine, isAlive, readPid, stopProcess } from './processes.js';
import { CLUSTER_DOWN_USAGE } from './usage.js';
import { runZkScript } from './zookeeper-scripts.js';

/** The pid of broker `id` when its pid file names a live process running this cluster's broker config. */
export function runningBrokerPid(layout: ClusterLayout, id: number, io?: CliIo): number | undefined {
  const pid = readPid(layout.brokerPidFile(id));
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmd = commandLine(pid);
  if (cmd !== undefined && !cmd.includes(layout.brokerConfig(id))) {
    io?.stderr(`broker ${id}: pid ${pid} is not this cluster's broker (stale pid file); leaving it alone`);
    return undefined;
  }
  return pid;
}

/**
 * Stops the brokers of the cluster in `layout` (SIGTERM to all, then SIGKILL after `timeoutMs`) and, when
 * `zookeeper` is true, the ZooKeeper server in DIR/zookeeper. Returns how many processes were running.
 */
export async function stopCluster(layout: ClusterLayout, io: CliIo, timeoutMs: number, zookeeper: boolean): Promise<number> {
  const ids = layout.readState()?.brokers.map((b) => b.id) ?? layout.brokerIdsOnDisk();
  let running = 0;
  await Promise.all(
    ids.map(async (id) => {
      const pid = runningBrokerPid(layout, id, io);
      if (pid !== undefined) {
        running++;
        const outcome = await stopProcess(pid, timeoutMs);
        io.stderr(outcome === 'killed' ? `broker ${id} (pid ${pid}) did not stop within ${timeoutMs / 1000}s; killed` : `broker ${id} (pid ${pid}) stopped`);
      }
      rmSync(layout.brokerPidFile(id), { force: true });
    }),
  );
  if (zookeeper && existsSync(layout.zookeeperPidFile)) {
    const pid = readPid(layout.zookeeperPidFile);
    if (pid !== undefined && isAlive(pid)) running++;
    const status = await runZkScript('stop.sh', ['--data-dir', layout.zookeeperDir, '--timeout-s', String(Math.ceil(timeoutMs / 1000))], io);
    if (status !== 0) io.stderr(`streamkeeper: zk/stop.sh exited with status ${status}`);
  }
  return running;
}

/** `streamkeeper cluster down --data-dir DIR [--timeout-s S]`. */
export async function clusterDownCommand(args: readonly string[], io: CliIo): Promise<number> {
  const opts = parseOptions(args, { 'data-dir': { type: 'string' }, 'timeout-s': { type: 'int', min: 1 } }, CLUSTER_DOWN_USAGE);
  if (opts.help) {
    io.stdout(CLUSTER_DOWN_USAGE);
    return EXIT.OK;
  }
  const layout = new ClusterLayout(opts.requiredString('data-dir'));
  const state = layout.readState();
  // Without cluster.json we cannot tell who started a ZooKeeper in DIR/zookeeper, but only cluster up puts one there.
  const managedZookeeper = state?.managedZookeeper ?? true;
  const running = await stopCluster(layout, io, (opts.int('timeout-s') ?? 30) * 1000, managedZookeeper);
  io.stdout(running === 0 ? `nothing was running in ${layout.root}` : `cluster in ${layout.root} stopped`);
  return EXIT.OK;
}
