/**
 * Minimal big-endian Kafka wire encoding for tests that build requests by hand (independent of src/protocol).
 */
export class WireWriter {
  readonly #parts: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.raw(b);
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.raw(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.raw(b);
  }

  uint32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    return this.raw(b);
  }

  int64(v: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(v));
    return this.raw(b);
  }

  /** Classic nullable string: int16 length (-1 = null). */
  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }

  /** Classic nullable bytes: int32 length (-1 = null). */
  bytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }

  /** Classic array: int32 count, then each item. */
  array<T>(items: readonly T[], each: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  }

  /** Zig-zag varint (records). */
  varint(v: number): this {
    let z = ((v << 1) ^ (v >> 31)) >>> 0;
    const out: number[] = [];
    while (z > 0x7f) {
      out.push((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    out.push(z);
    return this.raw(Buffer.from(out));
  }

  /** Zig-zag varlong (records). */
  varlong(v: bigint): this {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    const out: number[] = [];
    while (z > 0x7fn) {
      out.push(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    out.push(Number(z));
    return this.raw(Buffer.from(out));
  }

  /** Varint-length-prefixed bytes (records; null = -1). */
  varbytes(b: Buffer | null): this {
    if (b === null) return this.varint(-1);
    return this.varint(b.length).raw(b);
  }

  raw(b: Buffer): this {
    this.#parts.push(b);
    return this;
  }

  build(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

export class WireReader {
  readonly #buf: Buffer;
  #pos: number;

  constructor(buf: Buffer, pos = 0) {
    this.#buf = buf;
    this.#pos = pos;
  }

  get position(): number {
    return this.#pos;
  }

  get remaining(): number {
    return this.#buf.length - this.#pos;
  }

  #need(n: number): void {
    if (this.#pos + n > this.#buf.length) {
      throw new RangeError(`need ${n} bytes at ${this.#pos}, only ${this.remaining} left`);
    }
  }

  int8(): number {
    this.#need(1);
    return this.#buf.readInt8(this.#pos++);
  }

  int16(): number {
    this.#need(2);
    const v = this.#buf.readInt16BE(this.#pos);
    this.#pos += 2;
    return v;
  }

  int32(): number {
    this.#need(4);
    const v = this.#buf.readInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }

  uint32(): number {
    this.#need(4);
    const v = this.#buf.readUInt32BE(this.#pos);
    this.#pos += 4;
    return v;
  }

  /** int64 as a JS number (tests never see offsets beyond 2^53). */
  int64(): number {
    this.#need(8);
    const v = this.#buf.readBigInt64BE(this.#pos);
    this.#pos += 8;
    return Number(v);
  }

  string(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    return this.raw(n).toString('utf8');
  }

  bytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.raw(n);
  }

  array<T>(each: (r: this) => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each(this));
    return out;
  }

  varint(): number {
    let shift = 0;
    let z = 0;
    for (;;) {
      this.#need(1);
      const b = this.#buf[this.#pos++] ?? 0;
      z |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new RangeError('varint too long');
    }
    return (z >>> 1) ^ -(z & 1);
  }

  varlong(): bigint {
    let shift = 0n;
    let z = 0n;
    for (;;) {
      this.#need(1);
      const b = BigInt(this.#buf[this.#pos++] ?? 0);
      z |= (b & 0x7fn) << shift;
      if ((b & 0x80n) === 0n) break;
      shift += 7n;
      if (shift > 63n) throw new RangeError('varlong too long');
    }
    return (z >> 1n) ^ -(z & 1n);
  }

  varbytes(): Buffer | null {
    const n = this.varint();
    if (n < 0) return null;
    return this.raw(n);
  }

  raw(n: number): Buffer {
    this.#need(n);
    const b = this.#buf.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return b;
  }
}
