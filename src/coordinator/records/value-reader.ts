import { ProtocolError } from '../../protocol/errors.js';
import { Reader } from '../../protocol/reader.js';
import { CoordinatorRecordError } from './coordinator-record-error.js';

/**
 * Runs `decode` over the whole of `buf` (after its int16 version, which the caller has read) and turns the reader's
 * bounds and null failures into a CoordinatorRecordError naming `what`. Bytes left over after the struct are garbage
 * for these fixed layouts, so they fail too.
 */
export function decodeWhole<T>(what: string, buf: Buffer, decode: (r: Reader) => T): T {
  const r = new Reader(buf, 2);
  let out: T;
  try {
    out = decode(r);
  } catch (error) {
    if (error instanceof ProtocolError) {
      throw new CoordinatorRecordError(`malformed ${what}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  if (r.remaining !== 0) throw new CoordinatorRecordError(`malformed ${what}: ${r.remaining} trailing bytes`);
  return out;
}

/** The int16 version every key and value starts with. */
export function readVersion(what: string, buf: Buffer): number {
  if (buf.length < 2) throw new CoordinatorRecordError(`${what} of ${buf.length} bytes has no version`);
  return buf.readInt16BE(0);
}

/** An int64 field as a JS number; values beyond 2^53 cannot be represented and fail. */
export function int64Field(r: Reader, field: string): number {
  const v = r.int64();
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new CoordinatorRecordError(`${field} ${v} is outside the safe integer range`);
  }
  return Number(v);
}

/** A non-nullable string, classic (int16 length) or compact (uvarint length + 1). */
export function stringField(r: Reader, flexible: boolean): string {
  return flexible ? r.compactString() : r.string();
}

export function nullableStringField(r: Reader, flexible: boolean): string | null {
  return flexible ? r.compactNullableString() : r.nullableString();
}

/** Non-nullable bytes, copied out so a decoded record does not pin the buffer it came from. */
export function bytesField(r: Reader, flexible: boolean): Buffer {
  return Buffer.from(flexible ? r.compactBytes() : r.bytes());
}

/** A value whose int16 version must lie in [0, maxVersion], decoded whole by `read`. */
export function decodeVersioned<T>(
  what: string,
  buf: Buffer,
  maxVersion: number,
  read: (r: Reader, version: number) => T,
): T {
  const version = readVersion(what, buf);
  if (version < 0 || version > maxVersion) throw new CoordinatorRecordError(`unknown ${what} version ${version}`);
  return decodeWhole(`${what} v${version}`, buf, (r) => read(r, version));
}
