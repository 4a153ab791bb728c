import { BATCH, gzipBatch, writeCrc } from '../../src/protocol/record-batch.js';

/** Test helpers: an uncompressed magic-2 batch re-marked with another codec. Not a test file. */

/** The same batch with its records section gzipped (attributes codec 1). */
export const gzipped = gzipBatch;

/** The batch marked with another codec (snappy = 2) without changing its bytes: undecodable here. */
export function markedCodec(batch: Buffer, codec: number): Buffer {
  const out = Buffer.from(batch);
  out.writeInt16BE((out.readInt16BE(BATCH.ATTRIBUTES) & ~7) | codec, BATCH.ATTRIBUTES);
  writeCrc(out, 0);
  return out;
}
