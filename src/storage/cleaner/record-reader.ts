import { BatchHeader } from '../batch-header.js';

/** Attribute bits of a magic-2 batch header the cleaner looks at. */
export const BatchAttribute = {
  COMPRESSION_MASK: 0x07,
  TIMESTAMP_TYPE: 0x08,
  CONTROL: 0x20,
  /** Kafka 3.x (KIP-534): the batch's baseTimestamp is the delete horizon of its tombstones. */
  DELETE_HORIZON: 0x40,
} as const;

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
