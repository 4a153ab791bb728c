import { ProtocolError } from './errors.js';

/** Bounds-checked big-endian reader over a Buffer. Every read past `end` throws a ProtocolError. */
export class Reader {
  readonly buf: Buffer;
  #pos: number;
  readonly #end: number;

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf;
    this.#pos = offset;
    this.#end = end;
  }

  get offset(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#end - this.#pos;
  }

  #take(n: number): number {
    const at = this.#pos;
    if (n < 0 || at + n > this.#end) {
      throw new ProtocolError('INVALID_REQUEST', `read of ${n} bytes at ${at} past end ${this.#end}`);
    }
    this.#pos = at + n;
    return at;
  }

  skip(n: number): void {
    this.#take(n);
  }

  int8(): number {
    return this.buf.readInt8(this.#take(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.#take(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.#take(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.#take(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.#take(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.#take(8));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.#take(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  /** Unsigned LEB128 varint, at most 32 bits. */
  uvarint(): number {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.buf[this.#take(1)] as number;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
    }
    throw new ProtocolError('INVALID_REQUEST', 'unsigned varint longer than 32 bits');
  }

  /** Zig-zag signed varint (int32). */
  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** Zig-zag signed varlong (int64). */
  varlong(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const b = this.buf[this.#take(1)] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (result > 0xffffffffffffffffn) break;
        return (result >> 1n) ^ -(result & 1n);
      }
    }
    throw new ProtocolError('INVALID_REQUEST', 'varlong longer than 64 bits');
  }

  /** `n` raw bytes as a zero-copy view of the underlying buffer. */
  raw(n: number): Buffer {
    const at = this.#take(n);
    return this.buf.subarray(at, at + n);
  }

  #utf8(n: number): string {
    const at = this.#take(n);
    return this.buf.toString('utf8', at, at + n);
  }

  /** Classic int16-length string; -1 is null. */
  nullableString(): string | null {
    const n = this.int16();
    if (n < -1) throw new ProtocolError('INVALID_REQUEST', `negative string length ${n}`);
    return n === -1 ? null : this.#utf8(n);
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('INVALID_REQUEST', 'null in a non-nullable string');
    return s;
  }
  /** Compact string: uvarint N+1, 0 is null. */
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.#utf8(n - 1);
  }
  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('INVALID_REQUEST', 'null in a non-nullable compact string');
    return s;
  }

  /** Classic int32-length bytes (zero copy); -1 is null. */
  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n < -1) throw new ProtocolError('INVALID_REQUEST', `negative bytes length ${n}`);
    return n === -1 ? null : this.raw(n);
  }
  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('INVALID_REQUEST', 'null in non-nullable bytes');
    return b;
  }
  compactNullableBytes(): Buffer | null {
    const n = this.uvarint();
    return n === 0 ? null : this.raw(n - 1);
  }
  compactBytes(): Buffer {
    const b = this.compactNullableBytes();
    if (b === null) throw new ProtocolError('INVALID_REQUEST', 'null in non-nullable compact bytes');
    return b;
  }

  /** Classic array (int32 count, -1 null). The count is checked against the bytes left. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < -1) throw new ProtocolError('INVALID_REQUEST', `negative array length ${n}`);
    return n === -1 ? null : this.#items(n, item);
  }
  array<T>(item: (r: Reader) => T): T[] {
    const a = this.nullableArray(item);
    if (a === null) throw new ProtocolError('INVALID_REQUEST', 'null in a non-nullable array');
    return a;
  }
  compactNullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.uvarint();
    return n === 0 ? null : this.#items(n - 1, item);
  }
  compactArray<T>(item: (r: Reader) => T): T[] {
    const a = this.compactNullableArray(item);
    if (a === null) throw new ProtocolError('INVALID_REQUEST', 'null in a non-nullable compact array');
    return a;
  }

  #items<T>(n: number, item: (r: Reader) => T): T[] {
    // Every element takes at least one byte, so a count above the bytes left is garbage.
    if (n > this.remaining) {
      throw new ProtocolError('INVALID_REQUEST', `array count ${n} exceeds ${this.remaining} bytes left`);
    }
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = item(this);
    return out;
  }

  /** 16-byte UUID in canonical lower-case 8-4-4-4-12 form. */
  uuid(): string {
    const h = this.raw(16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /**
   * Tagged-field section: uvarint count, then (tag, size, data) entries. `onTag` gets a sub-reader
   * bounded to the field's data; a caller ignores tags it does not know (they are skipped).
   */
  taggedFields(onTag?: (tag: number, r: Reader) => void): void {
    const count = this.uvarint();
    let last = -1;
    for (let i = 0; i < count; i++) {
      const tag = this.uvarint();
      if (tag <= last) throw new ProtocolError('INVALID_REQUEST', `tagged fields out of order: ${tag} after ${last}`);
      last = tag;
      const size = this.uvarint();
      const at = this.#take(size);
      if (onTag !== undefined) onTag(tag, new Reader(this.buf, at, at + size));
    }
  }
}
