import { crc32c } from '../../src/util/crc32c.js';

/** Test helper: valid magic-2 record batches with a correct CRC-32C. Not a test file. */

export interface TestRecord {
  timestampDelta: number;
  value: Buffer;
}

export interface BatchSpec {
  baseOffset?: number;
  /** Defaults to the number of `records`, or 1. lastOffsetDelta = recordCount - 1. */
  recordCount?: number;
  /** Raw bytes after the 61-byte header (ignored when `records` is given). */
  payload?: Buffer;
  /** Real records (uncompressed, no keys, no headers). */
  records?: readonly TestRecord[];
  baseTimestamp?: number;
  /** Defaults to baseTimestamp + the largest record timestamp delta. */
  maxTimestamp?: number;
  partitionLeaderEpoch?: number;
  attributes?: number;
}

function zigzagVarint(value: number): Buffer {
  let v = (BigInt(value) << 1n) ^ (BigInt(value) >> 63n);
  const bytes: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    bytes.push(b);
  } while (v !== 0n);
  return Buffer.from(bytes);
}

export function encodeRecords(records: readonly TestRecord[]): Buffer {
  return Buffer.concat(
    records.map((record, offsetDelta) => {
      const body = Buffer.concat([
        Buffer.from([0]),
        zigzagVarint(record.timestampDelta),
        zigzagVarint(offsetDelta),
        zigzagVarint(-1),
        zigzagVarint(record.value.length),
        record.value,
        zigzagVarint(0),
      ]);
      return Buffer.concat([zigzagVarint(body.length), body]);
    }),
  );
}

export function buildBatch(spec: BatchSpec = {}): Buffer {
  const records = spec.records;
  const payload = records !== undefined ? encodeRecords(records) : (spec.payload ?? Buffer.alloc(16, 0xab));
  const recordCount = spec.recordCount ?? records?.length ?? 1;
  const baseTimestamp = spec.baseTimestamp ?? 1_700_000_000_000;
  const maxDelta = records === undefined || records.length === 0 ? 0 : Math.max(...records.map((r) => r.timestampDelta));
  const maxTimestamp = spec.maxTimestamp ?? baseTimestamp + maxDelta;
  const buf = Buffer.alloc(61 + payload.length);
  buf.writeBigInt64BE(BigInt(spec.baseOffset ?? 0), 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(spec.partitionLeaderEpoch ?? -1, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(spec.attributes ?? 0, 21);
  buf.writeInt32BE(recordCount - 1, 23);
  buf.writeBigInt64BE(BigInt(baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 35);
  buf.writeBigInt64BE(-1n, 43);
  buf.writeInt16BE(-1, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(recordCount, 57);
  payload.copy(buf, 61);
  buf.writeUInt32BE(crc32c(buf.subarray(21)), 17);
  return buf;
}

/** Decoded headers of concatenated batches (for assertions). */
export function batchHeaders(buf: Buffer): { baseOffset: number; lastOffset: number; size: number; epoch: number; maxTimestamp: number; crcOk: boolean }[] {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const size = buf.readInt32BE(pos + 8) + 12;
    const baseOffset = Number(buf.readBigInt64BE(pos));
    out.push({
      baseOffset,
      lastOffset: baseOffset + buf.readInt32BE(pos + 23),
      size,
      epoch: buf.readInt32BE(pos + 12),
      maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
      crcOk: crc32c(buf.subarray(pos + 21, pos + size)) === buf.readUInt32BE(pos + 17),
    });
    pos += size;
  }
  return out;
}
