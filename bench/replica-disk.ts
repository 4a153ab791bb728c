/**
 * What one replica of a partition holds on disk, read straight from its segment files (independent of the broker):
 * total `.log` bytes and the log end offset found by walking the batch headers.
 */
import fs from 'node:fs';
import path from 'node:path';

/** baseOffset(8) batchLength(4) partitionLeaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4). */
const HEADER_PREFIX = 27;
const LOG_OVERHEAD = 12;

export interface ReplicaOnDisk {
  readonly bytes: number;
  readonly batches: number;
  readonly logEndOffset: number;
}

export function replicaOnDisk(logDir: string, topic: string, partition: number): ReplicaOnDisk {
  const dir = path.join(logDir, `${topic}-${partition}`);
  if (!fs.existsSync(dir)) return { bytes: 0, batches: 0, logEndOffset: -1 };
  const segments = fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  let bytes = 0;
  let batches = 0;
  let logEndOffset = 0;
  const header = Buffer.alloc(HEADER_PREFIX);
  for (const name of segments) {
    logEndOffset = Math.max(logEndOffset, Number(name.slice(0, -'.log'.length)));
    const fd = fs.openSync(path.join(dir, name), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      bytes += size;
      let pos = 0;
      while (pos + HEADER_PREFIX <= size) {
        if (fs.readSync(fd, header, 0, HEADER_PREFIX, pos) < HEADER_PREFIX) break;
        const batchLength = header.readInt32BE(8);
        if (batchLength <= 0 || pos + LOG_OVERHEAD + batchLength > size) break;
        logEndOffset = Number(header.readBigInt64BE(0)) + header.readInt32BE(23) + 1;
        batches++;
        pos += LOG_OVERHEAD + batchLength;
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return { bytes, batches, logEndOffset };
}
