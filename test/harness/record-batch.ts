import zlib from 'node:zlib';

import { crc32c } from '../../src/util/crc32c.js';
import { WireReader, WireWriter } from './wire.js';

/** Record batch (magic 2) layout facts: byte positions in the 61-byte header. */
export const BATCH = {
  headerBytes: 61,
  lengthAt: 8,
  magicAt: 16,
  crcAt: 17,
  attributesAt: 21,
  /** The CRC-32C covers the bytes from here to the end of the batch. */
  crcFrom: 21,
} as const;

export interface TestRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: ReadonlyArray<readonly [string, Buffer]>;
}

/** Builds an uncompressed magic-2 batch (no producer id) with a correct CRC-32C. */
export function buildRecordBatch(records: readonly TestRecord[], baseTimestamp = Date.now()): Buffer {
  const body = new WireWriter();
  records.forEach((r, i) => {
    const rec = new WireWriter()
      .int8(0)
      .varlong(0n)
      .varint(i)
      .varbytes(r.key)
      .varbytes(r.value)
      .varint(r.headers?.length ?? 0);
    for (const [k, v] of r.headers ?? []) rec.varbytes(Buffer.from(k, 'utf8')).varbytes(v);
    const recBytes = rec.build();
    body.varint(recBytes.length).raw(recBytes);
  });
  const afterCrc = new WireWriter()
    .int16(0) // attributes: no compression, CreateTime
    .int32(records.length - 1)
    .int64(baseTimestamp)
    .int64(baseTimestamp)
    .int64(-1) // producerId
    .int16(-1) // producerEpoch
    .int32(-1) // baseSequence
    .int32(records.length)
    .raw(body.build())
    .build();
  return new WireWriter()
    .int64(0)
    .int32(4 + 1 + 4 + afterCrc.length) // partitionLeaderEpoch + magic + crc + rest
    .int32(-1)
    .int8(2)
    .uint32(crc32c(afterCrc))
    .raw(afterCrc)
    .build();
}

export interface ParsedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Array<[string, Buffer | null]>;
}

export interface ParsedBatch {
  readonly baseOffset: number;
  readonly lastOffset: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
  readonly crc: number;
  readonly computedCrc: number;
  readonly crcValid: boolean;
  readonly attributes: number;
  readonly recordCount: number;
  readonly records: ParsedRecord[];
}

export interface ParsedRecordSet {
  readonly batches: ParsedBatch[];
  /** Bytes at the end that do not form a whole batch (a fetch may cut the last batch). */
  readonly partialTailBytes: number;
}

const CODEC = { none: 0, gzip: 1 } as const;

function decompress(codec: number, data: Buffer): Buffer {
  if (codec === CODEC.none) return data;
  if (codec === CODEC.gzip) return zlib.gunzipSync(data);
  throw new Error(`test parser does not support compression codec ${codec}`);
}

function parseRecords(data: Buffer, count: number, baseOffset: number, baseTimestamp: number): ParsedRecord[] {
  const r = new WireReader(data);
  const out: ParsedRecord[] = [];
  for (let i = 0; i < count; i++) {
    const length = r.varint();
    const rec = new WireReader(r.raw(length));
    rec.int8(); // attributes
    const timestampDelta = Number(rec.varlong());
    const offsetDelta = rec.varint();
    const key = rec.varbytes();
    const value = rec.varbytes();
    const headerCount = rec.varint();
    const headers: Array<[string, Buffer | null]> = [];
    for (let h = 0; h < headerCount; h++) {
      const hk = rec.varbytes();
      headers.push([hk === null ? '' : hk.toString('utf8'), rec.varbytes()]);
    }
    out.push({ offset: baseOffset + offsetDelta, timestamp: baseTimestamp + timestampDelta, key, value, headers });
  }
  if (r.remaining !== 0) throw new Error(`${r.remaining} stray bytes after ${count} records`);
  return out;
}

/**
 * Splits a fetched record set into magic-2 batches, checking each batch's CRC-32C and decoding its records
 * (none/gzip). Records of a batch with a bad CRC are not decoded.
 */
export function parseRecordSet(buf: Buffer): ParsedRecordSet {
  const batches: ParsedBatch[] = [];
  let pos = 0;
  while (buf.length - pos >= 12) {
    const batchLength = buf.readInt32BE(pos + BATCH.lengthAt);
    const total = 12 + batchLength;
    if (batchLength < BATCH.headerBytes - 12 || pos + total > buf.length) break;
    const batch = buf.subarray(pos, pos + total);
    const h = new WireReader(batch);
    const baseOffset = h.int64();
    h.int32(); // batchLength
    const partitionLeaderEpoch = h.int32();
    const magic = h.int8();
    const crc = h.uint32();
    const attributes = h.int16();
    const lastOffsetDelta = h.int32();
    const baseTimestamp = h.int64();
    h.int64(); // maxTimestamp
    h.int64(); // producerId
    h.int16(); // producerEpoch
    h.int32(); // baseSequence
    const recordCount = h.int32();
    const computedCrc = crc32c(batch.subarray(BATCH.crcFrom));
    const crcValid = magic === 2 && computedCrc === crc;
    const records = crcValid
      ? parseRecords(decompress(attributes & 0x7, h.raw(h.remaining)), recordCount, baseOffset, baseTimestamp)
      : [];
    batches.push({
      baseOffset,
      lastOffset: baseOffset + lastOffsetDelta,
      partitionLeaderEpoch,
      magic,
      crc,
      computedCrc,
      crcValid,
      attributes,
      recordCount,
      records,
    });
    pos += total;
  }
  return { batches, partialTailBytes: buf.length - pos };
}
