// A magic-2 batch written byte by byte from the published layout (protocol.md section 3).
import { crc32c } from '../../src/util/crc32c.js';
import { cat, i16, i32, i64, i8 } from './bytes.js';

/** One record: key null, value "hi", no headers, timestampDelta 0, offsetDelta 0. */
export const RECORD_BYTES = Buffer.from([
  0x10, // length 8, zig-zag
  0x00, // attributes
  0x00, // timestampDelta 0
  0x00, // offsetDelta 0
  0x01, // key length -1 (null)
  0x04, 0x68, 0x69, // value length 2, "hi"
  0x00, // header count 0
]);

export const BATCH_TIMESTAMP = 1700000000000n;

export function handBuiltBatch(baseOffset = 0n): Buffer {
  const afterCrc = cat(
    i16(0), // attributes
    i32(0), // lastOffsetDelta
    i64(BATCH_TIMESTAMP), // baseTimestamp
    i64(BATCH_TIMESTAMP), // maxTimestamp
    i64(-1n), // producerId
    i16(-1), // producerEpoch
    i32(-1), // baseSequence
    i32(1), // record count
    RECORD_BYTES,
  );
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(afterCrc));
  const afterLength = cat(i32(-1), i8(2), crc, afterCrc); // partitionLeaderEpoch, magic, crc
  return cat(i64(baseOffset), i32(afterLength.length), afterLength);
}
