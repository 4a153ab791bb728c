/** A description of the machine the suite runs on: CPU, memory, Node, kernel, and the data directory's disk. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Mount {
  readonly device: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly options: string;
}

/** The /proc/mounts entry with the longest mount point containing `dir`. */
function mountOf(dir: string): Mount | undefined {
  let text: string;
  try {
    text = fs.readFileSync('/proc/mounts', 'utf8');
  } catch {
    return undefined;
  }
  const real = fs.realpathSync(dir);
  let best: Mount | undefined;
  for (const line of text.split('\n')) {
    const [device, mountPoint, fsType, options] = line.split(' ');
    if (device === undefined || mountPoint === undefined || fsType === undefined || options === undefined) continue;
    const mp = mountPoint.replace(/\\040/g, ' ');
    const inside = real === mp || real.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
    if (inside && (best === undefined || mp.length >= best.mountPoint.length)) best = { device, mountPoint: mp, fsType, options };
  }
  return best;
}

/** "virtio disk, rotational=0" style facts about a block device, when /sys knows it. */
function blockDevice(device: string): string {
  const name = path.basename(device).replace(/p?\d+$/, '');
  const sys = `/sys/block/${name}`;
  if (!fs.existsSync(sys)) return '';
  const read = (f: string): string => {
    try {
      return fs.readFileSync(path.join(sys, f), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const rotational = read('queue/rotational');
  const model = read('device/model');
  const sizeGiB = Number(read('size')) * 512 / 1024 ** 3;
  const parts = [model === '' ? name : `${name} (${model})`];
  if (Number.isFinite(sizeGiB) && sizeGiB > 0) parts.push(`${sizeGiB.toFixed(0)} GiB`);
  if (rotational !== '') parts.push(rotational === '1' ? 'rotational' : 'non-rotational');
  return parts.join(', ');
}

export function describeMachine(dataDir: string): string[] {
  const cpus = os.cpus();
  const lines = [
    `cpu: ${cpus.length} cores, ${cpus[0]?.model.trim() ?? 'unknown model'}`,
    `memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB total, ${(os.freemem() / 1024 ** 3).toFixed(1)} GiB free`,
    `node: ${process.version} (V8 ${process.versions.v8})`,
    `kernel: ${os.type()} ${os.release()} ${os.version()}`,
  ];
  const m = mountOf(dataDir);
  let disk = m === undefined ? 'filesystem unknown' : `${m.fsType} on ${m.device} mounted at ${m.mountPoint} (${m.options})`;
  if (m !== undefined) {
    const dev = blockDevice(m.device);
    if (dev !== '') disk += `; device ${dev}`;
  }
  try {
    const s = fs.statfsSync(dataDir);
    disk += `; ${((s.bavail * s.bsize) / 1024 ** 3).toFixed(0)} GiB free`;
  } catch {
    // statfs unavailable
  }
  lines.push(`data dir: ${dataDir}: ${disk}`);
  lines.push(`load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  return lines;
}
