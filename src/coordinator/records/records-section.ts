import { ProtocolError } from '../../protocol/errors.js';
import { Reader } from '../../protocol/reader.js';

export interface KeyValue {
  key: Buffer | null;
  value: Buffer | null;
}

/**
 * Keys and values of the `count` magic-2 records in `section` (the bytes after a batch header, e.g. an inflated
 * compressed block). Headers are skipped. Throws the reader's ProtocolError on truncation; bytes left over fail too.
 */
export function decodeRecordsSection(section: Buffer, count: number): KeyValue[] {
  const r = new Reader(section);
  const varBytes = (rr: Reader): Buffer | null => {
    const n = rr.varint();
    return n < 0 ? null : rr.raw(n);
  };
  const out: KeyValue[] = [];
  for (let i = 0; i < count; i++) {
    const len = r.varint();
    const start = r.offset;
    r.skip(len);
    const rr = new Reader(section, start, start + len);
    rr.int8(); // attributes
    rr.varlong(); // timestampDelta
    rr.varint(); // offsetDelta
    const key = varBytes(rr);
    const value = varBytes(rr);
    out.push({ key, value });
  }
  if (r.remaining !== 0) {
    throw new ProtocolError('CORRUPT_MESSAGE', `${r.remaining} bytes after the last of ${count} records`);
  }
  return out;
}
