import { ProtocolError } from './errors.js';

/**
 * One magic-2 record, located inside its batch's records section (the bytes after the 61-byte header, inflated for
 * a compressed batch). Keys and values are views into the section.
 */
export interface RecordView {
  /** Position of the record's length prefix in the section. */
  start: number;
  /** Position just after the record. */
  end: number;
  /** Position of the offsetDelta varint: everything from here to `end` can be copied unchanged on a rewrite. */
  restStart: number;
  /** Position of the header count varint. */
  headersStart: number;
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  /** null for a null key. */
  key: Buffer | null;
  /** null for a tombstone. */
  value: Buffer | null;
}

export interface RecordHeaderView {
  key: string;
  value: Buffer | null;
}

function corrupt(message: string): ProtocolError {
  return new ProtocolError('CORRUPT_MESSAGE', message);
}

/** Reads zig-zag varints with plain number arithmetic (exact up to 2^53), bounded by `end`. */
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
      if (this.pos >= this.#end || i >= 10) throw corrupt(`malformed varint at ${this.pos} of a records section`);
      const b = this.#buf[this.pos++] ?? 0;
      raw += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Varint-length-prefixed bytes (a view); null for length -1. */
  bytes(): Buffer | null {
    const length = this.signed();
    if (length < 0) return null;
    if (this.pos + length > this.#end) throw corrupt(`record field of ${length} bytes at ${this.pos} runs past its record`);
    const view = this.#buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }
}

/**
 * The `count` magic-2 records of a records section. Throws a CORRUPT_MESSAGE ProtocolError when a record is
 * malformed or runs past the section, and when bytes are left after the last record (Kafka's "records still
 * remaining"). Headers are not decoded (see recordHeaders).
 */
export function parseRecordSection(section: Buffer, count: number): RecordView[] {
  const records: RecordView[] = [];
  const outer = new VarintCursor(section, 0, section.length);
  for (let i = 0; i < count; i++) {
    const start = outer.pos;
    const length = outer.signed();
    const bodyStart = outer.pos;
    const end = bodyStart + length;
    if (length < 1 || end > section.length) throw corrupt(`record ${i} of length ${length} runs past its batch`);
    const attributes = section[bodyStart] ?? 0;
    const c = new VarintCursor(section, bodyStart + 1, end);
    const timestampDelta = c.signed();
    const restStart = c.pos;
    const offsetDelta = c.signed();
    const key = c.bytes();
    const value = c.bytes();
    records.push({ start, end, restStart, headersStart: c.pos, attributes, timestampDelta, offsetDelta, key, value });
    outer.pos = end;
  }
  if (outer.pos !== section.length) {
    throw corrupt(`${section.length - outer.pos} bytes after the last of ${count} records`);
  }
  return records;
}

/** The headers of `record` (a null header key reads as ""). */
export function recordHeaders(section: Buffer, record: RecordView): RecordHeaderView[] {
  const c = new VarintCursor(section, record.headersStart, record.end);
  const count = c.signed();
  const headers: RecordHeaderView[] = [];
  for (let h = 0; h < count; h++) {
    const key = c.bytes();
    headers.push({ key: key === null ? '' : key.toString('utf8'), value: c.bytes() });
  }
  return headers;
}
