/** Raw buffers at least this large are appended by reference instead of copied. */
export const ZERO_COPY_THRESHOLD = 1024;

const MIN_SCRATCH = 256;
const MAX_SCRATCH = 64 * 1024;

/** A reserved int32 slot to fill later, e.g. a length prefix. */
export interface Int32Slot {
  readonly buf: Buffer;
  readonly at: number;
  /** writer.length right after the slot. */
  readonly end: number;
}

/**
 * Big-endian writer that produces a list of chunks. Small fields go into a scratch buffer; large raw
 * buffers are appended by reference, so record batches are never copied.
 */
export class Writer {
  readonly #chunks: Buffer[] = [];
  #scratch: Buffer;
  #start = 0;
  #pos = 0;
  #length = 0;

  constructor(initialScratch = MIN_SCRATCH) {
    this.#scratch = Buffer.allocUnsafe(initialScratch);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.#length;
  }

  #flush(): void {
    if (this.#pos > this.#start) {
      this.#chunks.push(this.#scratch.subarray(this.#start, this.#pos));
      this.#start = this.#pos;
    }
  }

  #ensure(n: number): void {
    if (this.#scratch.length - this.#pos >= n) return;
    this.#flush();
    const size = Math.max(n, Math.min(this.#scratch.length * 2, MAX_SCRATCH));
    this.#scratch = Buffer.allocUnsafe(size);
    this.#start = 0;
    this.#pos = 0;
  }

  #advance(n: number): number {
    this.#ensure(n);
    const at = this.#pos;
    this.#pos += n;
    this.#length += n;
    return at;
  }

  int8(v: number): this {
    const at = this.#advance(1);
    this.#scratch.writeInt8(v, at);
    return this;
  }
  uint8(v: number): this {
    const at = this.#advance(1);
    this.#scratch[at] = v;
    return this;
  }
  int16(v: number): this {
    const at = this.#advance(2);
    this.#scratch.writeInt16BE(v, at);
    return this;
  }
  uint16(v: number): this {
    const at = this.#advance(2);
    this.#scratch.writeUInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.#advance(4);
    this.#scratch.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.#advance(4);
    this.#scratch.writeUInt32BE(v, at);
    return this;
  }
  int64(v: bigint | number): this {
    const at = this.#advance(8);
    this.#scratch.writeBigInt64BE(typeof v === 'bigint' ? v : BigInt(v), at);
    return this;
  }
  float64(v: number): this {
    const at = this.#advance(8);
    this.#scratch.writeDoubleBE(v, at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  /** Unsigned LEB128 varint of a value in [0, 2^32). */
  uvarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`uvarint out of range: ${v}`);
    const at = this.#advance(uvarintSize(v));
    let i = at;
    while (v >= 0x80) {
      this.#scratch[i++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.#scratch[i] = v;
    return this;
  }

  /** Zig-zag signed varint (int32). */
  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zig-zag signed varlong (int64). */
  varlong(v: bigint | number): this {
    const n = BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(v));
    let u = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    while (u >= 0x80n) {
      this.uint8(Number(u & 0x7fn) | 0x80);
      u >>= 7n;
    }
    return this.uint8(Number(u));
  }

  /** Append bytes: copied when small, by reference (zero copy) when >= ZERO_COPY_THRESHOLD. */
  raw(buf: Uint8Array): this {
    const n = buf.length;
    if (n >= ZERO_COPY_THRESHOLD) {
      this.#flush();
      this.#chunks.push(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, n));
      this.#length += n;
      return this;
    }
    const at = this.#advance(n);
    this.#scratch.set(buf, at);
    return this;
  }

  #utf8(s: string, len: number): void {
    const at = this.#advance(len);
    this.#scratch.write(s, at, len, 'utf8');
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const len = Buffer.byteLength(s, 'utf8');
    if (len > 0x7fff) throw new RangeError(`string of ${len} bytes too long`);
    this.int16(len);
    this.#utf8(s, len);
    return this;
  }
  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const len = Buffer.byteLength(s, 'utf8');
    this.uvarint(len + 1);
    this.#utf8(s, len);
    return this;
  }
  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  compactNullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.uvarint(0);
    return this.uvarint(b.length + 1).raw(b);
  }

  /** Array length prefix: classic int32 (-1 null) or compact uvarint N+1 (0 null). */
  arrayLength(n: number | null, compact: boolean): this {
    if (compact) return this.uvarint(n === null ? 0 : n + 1);
    return this.int32(n === null ? -1 : n);
  }

  /** UUID from canonical text (dashes optional). */
  uuid(u: string): this {
    const hex = u.replaceAll('-', '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${u}`);
    const at = this.#advance(16);
    this.#scratch.write(hex, at, 16, 'hex');
    return this;
  }

  /** Reserve 4 bytes to fill later with fillInt32 (e.g. a size prefix). */
  reserveInt32(): Int32Slot {
    const at = this.#advance(4);
    return { buf: this.#scratch, at, end: this.#length };
  }
  fillInt32(slot: Int32Slot, v: number): this {
    slot.buf.writeInt32BE(v, slot.at);
    return this;
  }

  /** The written bytes as chunks (large raw buffers by reference). */
  chunks(): Buffer[] {
    this.#flush();
    return this.#chunks.slice();
  }

  /** All bytes in one buffer (copies; for tests and small messages). */
  toBuffer(): Buffer {
    const chunks = this.chunks();
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#length);
  }
}

/** Bytes needed for an unsigned varint. */
export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Bytes needed for a zig-zag varint. */
export function varintSize(v: number): number {
  return uvarintSize(((v << 1) ^ (v >> 31)) >>> 0);
}
