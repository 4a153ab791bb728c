// Hand-written byte builders for fixtures, independent of the Writer under test.
export const i8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const i16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
export const i32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
export const i64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
/** Classic string: int16 length + UTF-8. */
export const str = (s: string): Buffer => Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
/** Compact string for lengths < 127: one-byte uvarint N+1. */
export const cstr = (s: string): Buffer => Buffer.concat([Buffer.from([Buffer.byteLength(s) + 1]), Buffer.from(s)]);
export const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
export const join = (chunks: Buffer[]): Buffer => Buffer.concat(chunks);
/** Frame bytes without their 4-byte size prefix, checking the prefix. */
export function unframe(chunks: Buffer[]): Buffer {
  const all = Buffer.concat(chunks);
  if (all.readInt32BE(0) !== all.length - 4) throw new Error('bad size prefix');
  return all.subarray(4);
}
