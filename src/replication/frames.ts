import { Packr } from 'msgpackr';
import { PeerProtocolError } from './peer-errors.js';

/**
 * The envelope of every inter-broker WebSocket message (one binary WebSocket message = one MessagePack map):
 *   `{ v: 1, t: type, id?: requestId, p?: payload, err?: { code, message } }`
 * A frame with `id` from client to server is a request; the server answers with the same `t` and `id`, carrying
 * either `p` or `err`. A frame without `id` is a push (including the handshake frames).
 *
 * Raw bytes (record batches) of at least RAW_MIN_BYTES (64 KiB) anywhere in `p` travel after the map instead of inside it,
 * so they are never copied into an encoding: the map's `r` lists their lengths, each takes the place in `p` of a
 * one-key map `{ $raw: index }`, and the message is the map followed by those bytes in order. The sender writes
 * the map and each raw part as fragments of one WebSocket message; the receiver reads the fragments as they came
 * (binaryType 'fragments') and hands out views of them. Smaller bins travel as MessagePack `bin` and decode as
 * views of the received message too.
 */
export const FRAME_VERSION = 1;

/** Request ids are uint32 on the wire; the client wraps around. */
export const MAX_REQUEST_ID = 0xffff_ffff;

export interface FrameError {
  code: string;
  message: string;
}

export interface Frame {
  v: typeof FRAME_VERSION;
  t: string;
  id?: number;
  p?: unknown;
  err?: FrameError;
}

/** The WebSocket path of the peer endpoint on the broker's listener port. */
export const PEER_PATH = '/streamkeeper/peer';

/** WebSocket close codes used by the peer channel (4000-4999 are application codes). */
export const PeerCloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  AUTH_FAILED: 4001,
  PROTOCOL_ERROR: 4002,
  HANDSHAKE_TIMEOUT: 4003,
  CLUSTER_MISMATCH: 4004,
  HEARTBEAT_TIMEOUT: 4005,
} as const;
export type PeerCloseCode = (typeof PeerCloseCode)[keyof typeof PeerCloseCode];

// Plain maps (no msgpackr record extension, so any MessagePack peer can read the frames), 64-bit integers as
// numbers (offsets are JS numbers outside the Kafka codec), bin as Buffer views (copyBuffers: false).
const packr = new Packr({
  useRecords: false,
  mapsAsObjects: true,
  moreTypes: false,
  variableMapSize: true,
  int64AsType: 'number',
  copyBuffers: false,
});

/**
 * Raw bytes at least this long travel after the envelope, not inside it. Each raw part is a write of its own (ws
 * corks per send), so smaller ones are cheaper copied into the envelope.
 */
export const RAW_MIN_BYTES = 64 * 1024;

/** The key of the one-key map that stands in `p` for raw part `index`. */
export const RAW_REF_KEY = '$raw';

function envelope(frame: Frame, p: unknown, raws: readonly Buffer[]): Record<string, unknown> {
  const out: Record<string, unknown> = { v: frame.v, t: frame.t };
  if (frame.id !== undefined) out['id'] = frame.id;
  if (p !== undefined) out['p'] = p;
  if (frame.err !== undefined) out['err'] = { code: frame.err.code, message: frame.err.message };
  if (raws.length > 0) out['r'] = raws.map((b) => b.length);
  return out;
}

/**
 * Encodes a frame as one MessagePack map, every bin inside it. Keys whose value is `undefined` are left out. The
 * returned Buffer stays valid (msgpackr's default buffer mode never overwrites a returned result).
 */
export function encodeFrame(frame: Frame): Buffer {
  return packr.pack(envelope(frame, frame.p, []));
}

/** Encodes a frame as the envelope followed by its raw parts (the Buffers themselves, not copies); see above. */
export function encodeFrameParts(frame: Frame): Buffer[] {
  const raws: Buffer[] = [];
  const p = frame.p === undefined ? undefined : extractRaws(frame.p, raws);
  return [packr.pack(envelope(frame, p, raws)), ...raws];
}

/** `value` with every Uint8Array of RAW_MIN_BYTES or more replaced by a reference, copying only what changes. */
function extractRaws(value: unknown, raws: Buffer[]): unknown {
  if (value instanceof Uint8Array) {
    if (value.length < RAW_MIN_BYTES) return value;
    raws.push(Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return { [RAW_REF_KEY]: raws.length - 1 };
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'object' || v === null) continue;
      const x = extractRaws(v, raws);
      if (x !== v) (out ??= value.slice())[i] = x;
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    if (RAW_REF_KEY in value) throw new Error(`payload key ${RAW_REF_KEY} is reserved for raw part references`);
    let out: Record<string, unknown> | undefined;
    for (const key in value) {
      const v = value[key];
      if (typeof v !== 'object' || v === null) continue;
      const x = extractRaws(v, raws);
      if (x !== v) (out ??= { ...value })[key] = x;
    }
    return out ?? value;
  }
  return value;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Decodes and validates one message held in one buffer. Throws PeerProtocolError. */
export function decodeFrame(data: Uint8Array): Frame {
  return decodeMessage([Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/**
 * Decodes and validates one message from its fragments as received (ws binaryType 'fragments'): the envelope, then
 * its raw parts, which come out as views of the fragments when each arrived as a fragment of its own (as senders
 * write them) and are assembled otherwise. Throws PeerProtocolError for anything that is not a valid v1 message.
 */
export function decodeMessage(fragments: readonly Buffer[]): Frame {
  const first = fragments[0];
  if (first === undefined) throw new PeerProtocolError('empty message');
  let chunks = [...fragments];
  // The envelope is normally the whole first fragment; a sender that split it differently costs a copy.
  let head = readEnvelope(first);
  if ('cause' in head && fragments.length > 1) {
    chunks = [Buffer.concat(fragments)];
    head = readEnvelope(chunks[0] as Buffer);
  }
  if ('cause' in head) {
    const size = fragments.reduce((n, f) => n + f.length, 0);
    throw new PeerProtocolError(`undecodable frame (${size} bytes)`, { cause: head.cause });
  }
  const raw = head.value;
  chunks[0] = (chunks[0] as Buffer).subarray(head.end);
  if (!isPlainObject(raw)) throw new PeerProtocolError('frame is not a MessagePack map');
  if (raw['v'] !== FRAME_VERSION) throw new PeerProtocolError(`unsupported frame version ${String(raw['v'])}`);
  const t = raw['t'];
  if (typeof t !== 'string' || t.length === 0) throw new PeerProtocolError('frame without a type');
  const frame: Frame = { v: FRAME_VERSION, t };
  const id = raw['id'];
  if (id !== undefined) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > MAX_REQUEST_ID) {
      throw new PeerProtocolError(`invalid request id in ${t} frame`);
    }
    frame.id = id;
  }
  const raws = rawParts(t, raw['r'], chunks);
  if (raws.length > 0) frame.p = resolveRaws(raw['p'], raws, t);
  else if (raw['p'] !== undefined) frame.p = raw['p'];
  const err = raw['err'];
  if (err !== undefined) {
    if (!isPlainObject(err) || typeof err['code'] !== 'string' || typeof err['message'] !== 'string') {
      throw new PeerProtocolError(`invalid error in ${t} frame`);
    }
    frame.err = { code: err['code'], message: err['message'] };
  }
  return frame;
}

/** The MessagePack value at the start of `buf` and where it ends, or why it could not be read. */
function readEnvelope(buf: Buffer): { value: unknown; end: number } | { cause: unknown } {
  let value: unknown;
  let end = -1;
  try {
    packr.unpackMultiple(buf, (v: unknown, _start?: number, stop?: number) => {
      value = v;
      end = stop ?? -1;
      return false;
    });
  } catch (cause) {
    return { cause };
  }
  return end < 0 ? { cause: new Error('msgpackr gave no end position') } : { value, end };
}

/** Cuts the bytes after the envelope into the raw parts `lengths` announces; they must be exactly those bytes. */
function rawParts(t: string, lengths: unknown, chunks: readonly Buffer[]): Buffer[] {
  const rest = chunks.reduce((n, c) => n + c.length, 0);
  if (lengths === undefined) {
    if (rest !== 0) throw new PeerProtocolError(`${rest} bytes after the ${t} frame`);
    return [];
  }
  if (!Array.isArray(lengths) || !lengths.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
    throw new PeerProtocolError(`invalid raw part lengths in ${t} frame`);
  }
  const sizes = lengths as number[];
  const total = sizes.reduce((n, x) => n + x, 0);
  if (total !== rest) throw new PeerProtocolError(`${t} frame announces ${total} raw bytes and carries ${rest}`);
  const parts: Buffer[] = [];
  let c = 0;
  let at = 0;
  for (const size of sizes) {
    while (c < chunks.length && at === (chunks[c] as Buffer).length) {
      c++;
      at = 0;
    }
    const chunk = chunks[c];
    if (chunk === undefined || size === 0) {
      parts.push(Buffer.alloc(0));
      continue;
    }
    if (chunk.length - at >= size) {
      parts.push(chunk.subarray(at, at + size));
      at += size;
      continue;
    }
    const part = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const from = chunks[c] as Buffer;
      const k = Math.min(from.length - at, size - filled);
      from.copy(part, filled, at, at + k);
      filled += k;
      at += k;
      if (at === from.length) {
        c++;
        at = 0;
      }
    }
    parts.push(part);
  }
  return parts;
}

/** `value` (freshly decoded, so changed in place) with each `{ $raw: i }` replaced by raw part i, each used once. */
function resolveRaws(value: unknown, raws: readonly Buffer[], t: string): unknown {
  const used = new Set<number>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'object' && x !== null) v[i] = walk(x);
      }
      return v;
    }
    if (!isPlainObject(v)) return v;
    if (RAW_REF_KEY in v) {
      const i = v[RAW_REF_KEY];
      if (Object.keys(v).length !== 1 || typeof i !== 'number' || raws[i] === undefined || used.has(i)) {
        throw new PeerProtocolError(`invalid raw part reference in ${t} frame`);
      }
      used.add(i);
      return raws[i];
    }
    for (const k in v) {
      const x = v[k];
      if (typeof x === 'object' && x !== null) v[k] = walk(x);
    }
    return v;
  };
  let out: unknown;
  try {
    out = walk(value);
  } catch (cause) {
    if (cause instanceof PeerProtocolError) throw cause;
    throw new PeerProtocolError(`${t} frame could not be resolved`, { cause });
  }
  if (used.size !== raws.length) throw new PeerProtocolError(`${t} frame carries ${raws.length - used.size} raw parts it never refers to`);
  return out;
}

/** Turns ws message data (Buffer, Buffer[] for binaryType 'fragments', or ArrayBuffer) into fragments. */
export function messageFragments(data: Buffer | ArrayBuffer | Buffer[]): Buffer[] {
  if (Buffer.isBuffer(data)) return [data];
  if (Array.isArray(data)) return data;
  return [Buffer.from(data)];
}
