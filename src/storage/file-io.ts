import fs from 'node:fs';

/** Thin promise wrappers over fd-based `fs` calls: cheaper than FileHandle on the hot paths. */

export function openFile(path: string, flags: string | number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(path, flags, 0o644, (err, fd) => (err ? reject(err) : resolve(fd)));
  });
}

export function closeFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.close(fd, (err) => (err ? reject(err) : resolve()));
  });
}

export function fsyncFile(fd: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fsync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

export function ftruncateFile(fd: number, length: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.ftruncate(fd, length, (err) => (err ? reject(err) : resolve()));
  });
}

function readOnce(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.read(fd, buf, offset, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** Read up to `length` bytes at `position` into a fresh Buffer; shorter only at end of file. */
export async function readAt(fd: number, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = await readOnce(fd, buf, done, length - done, position + done);
    if (n === 0) return buf.subarray(0, done);
    done += n;
  }
  return buf;
}

function writevOnce(fd: number, bufs: Buffer[], position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.writev(fd, bufs, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

/** Write all of `bufs` contiguously at `position` (one writev, repeated only after a short write). */
export async function writevAt(fd: number, bufs: Buffer[], position: number): Promise<void> {
  let pending = bufs;
  let pos = position;
  while (pending.length > 0) {
    let n = await writevOnce(fd, pending, pos);
    pos += n;
    let i = 0;
    while (i < pending.length && n >= (pending[i]?.length ?? 0)) {
      n -= pending[i]?.length ?? 0;
      i++;
    }
    const rest = pending.slice(i);
    const first = rest[0];
    if (first !== undefined && n > 0) rest[0] = first.subarray(n);
    pending = rest;
  }
}

/** fsync a directory so renames and creations in it are durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = await openFile(dir, 'r');
  try {
    await fsyncFile(fd);
  } finally {
    await closeFile(fd);
  }
}

/** Write a whole file atomically: write `<path>.tmp`, fsync, rename over `path`, fsync the directory. */
export async function writeFileAtomically(path: string, dir: string, data: string | Buffer): Promise<void> {
  const tmp = `${path}.tmp`;
  const fd = await openFile(tmp, 'w');
  try {
    await writevAt(fd, [typeof data === 'string' ? Buffer.from(data, 'utf8') : data], 0);
    await fsyncFile(fd);
  } finally {
    await closeFile(fd);
  }
  await fs.promises.rename(tmp, path);
  await fsyncDir(dir);
}

/** Read-write, created when missing, never truncated. */
export const OPEN_READ_WRITE_CREATE = fs.constants.O_RDWR | fs.constants.O_CREAT;

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
