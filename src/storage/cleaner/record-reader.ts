import { gunzipSync } from 'node:zlib';
import { COMPRESSION } from '../../protocol/record-batch.js';
import { BatchHeader, readBatchSize } from '../batch-header.js';

/** Attribute bits of a magic-2 batch header the cleaner looks at. */
export const BatchAttribute = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE: 0x08,
  CONTROL: 0x20,
  /** Kafka 3.x (KIP-534): the batch's baseTimestamp is the delete horizon of its tombstones. */
  DELETE_HORIZON: 0x40,
} as const;

/** One record of a batch, located inside the batch's (decompressed) records section. */
export interface RecordView {
  /** Position of the record's length prefix in the section. */
  start: number;
  /** Position just after the record. */
  end: number;
  /** Position of the offsetDelta varint: everything from here to `end` is copied unchanged on a rewrite. */
  restStart: number;
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  /** A view of the key, null for a null key. */
  key: Buffer | null;
  /** A view of the value, null for a tombstone. */
  value: Buffer | null;
}

export function batchAttributes(buf: Buffer, pos: number): number {
  return buf.readInt16BE(pos + BatchHeader.ATTRIBUTES);
}

export function isControlBatch(buf: Buffer, pos: number): boolean {
  return (batchAttributes(buf, pos) & BatchAttribute.CONTROL) !== 0;
}

export function batchCompression(buf: Buffer, pos: number): number {
  return batchAttributes(buf, pos) & BatchAttribute.COMPRESSION_MASK;
}

/** The batch's delete horizon (Kafka 3.x attribute bit 6: baseTimestamp), undefined when not set. */
export function deleteHorizonOf(buf: Buffer, pos: number): number | undefined {
  if ((batchAttributes(buf, pos) & BatchAttribute.DELETE_HORIZON) === 0) return undefined;
  return Number(buf.readBigInt64BE(pos + BatchHeader.BASE_TIMESTAMP));
}

/** True for the codecs whose records this broker can read and rewrite: none and gzip (node:zlib). */
export function isDecodableCompression(codec: number): boolean {
  return codec === COMPRESSION.none || codec === COMPRESSION.gzip;
}

/**
 * The records section of the batch at `pos` (after the 61-byte header), gunzipped for gzip batches; null for
 * snappy, lz4 and zstd, which this broker has no codec for.
 */
export function recordsSection(buf: Buffer, pos: number): Buffer | null {
  const codec = batchCompression(buf, pos);
  if (!isDecodableCompression(codec)) return null;
  const raw = buf.subarray(pos + BatchHeader.SIZE, pos + readBatchSize(buf, pos));
  return codec === COMPRESSION.gzip ? gunzipSync(raw) : raw;
}

/** Reads zig-zag varints with plain number arithmetic (exact up to 2^53). */
class VarintCursor {
  pos: number;
  readonly #buf: Buffer;
  readonly #end: number;

  constructor(buf: Buffer, pos: number, end: number) {
    this.#buf = buf;
    this.pos = pos;
    this.#end = end;
  }

  /** A zig-zag varlong (varints are the same encoding). */
  signed(): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.#end || i >= 10) throw new RangeError('malformed varint in record');
      const b = this.#buf[this.pos++] ?? 0;
      raw += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** `length` bytes (a view); null for length -1. */
  bytes(length: number): Buffer | null {
    if (length < 0) return null;
    if (this.pos + length > this.#end) throw new RangeError('record field runs past its record');
    const view = this.#buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }
}

/** Parse `count` magic-2 records from a records section; throws RangeError when malformed. */
export function parseRecords(section: Buffer, count: number): RecordView[] {
  const records: RecordView[] = [];
  const outer = new VarintCursor(section, 0, section.length);
  for (let i = 0; i < count; i++) {
    const start = outer.pos;
    const length = outer.signed();
    const bodyStart = outer.pos;
    const end = bodyStart + length;
    if (length < 1 || end > section.length) throw new RangeError(`record ${i} of length ${length} runs past its batch`);
    const attributes = section[bodyStart] ?? 0;
    const c = new VarintCursor(section, bodyStart + 1, end);
    const timestampDelta = c.signed();
    const restStart = c.pos;
    const offsetDelta = c.signed();
    const key = c.bytes(c.signed());
    const value = c.bytes(c.signed());
    records.push({ start, end, restStart, attributes, timestampDelta, offsetDelta, key, value });
    outer.pos = end;
  }
  return records;
}

/** The records of the batch at `pos`, or null when its codec cannot be decoded here. */
export function readBatchRecords(buf: Buffer, pos: number): { section: Buffer; records: RecordView[] } | null {
  const section = recordsSection(buf, pos);
  if (section === null) return null;
  return { section, records: parseRecords(section, buf.readInt32BE(pos + BatchHeader.RECORD_COUNT)) };
}

/** Zig-zag varlong encoding with plain number arithmetic (exact up to 2^53). */
export function encodeVarlong(value: number): Buffer {
  let raw = value >= 0 ? value * 2 : -value * 2 - 1;
  const bytes: number[] = [];
  while (raw >= 128) {
    bytes.push((raw % 128) | 0x80);
    raw = Math.floor(raw / 128);
  }
  bytes.push(raw);
  return Buffer.from(bytes);
}
