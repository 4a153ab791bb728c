import { Packr } from 'msgpackr';
import { PeerProtocolError } from './peer-errors.js';

/**
 * The envelope of every inter-broker WebSocket message (one binary WebSocket message = one MessagePack map):
 *   `{ v: 1, t: type, id?: requestId, p?: payload, err?: { code, message } }`
 * A frame with `id` from client to server is a request; the server answers with the same `t` and `id`, carrying
 * either `p` or `err`. A frame without `id` is a push (including the handshake frames). Raw record batches travel
 * as MessagePack `bin` and decode as Buffers that are views of the received message (no copy).
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
 * Encodes a frame. Keys whose value is `undefined` are left out. The returned Buffer stays valid (msgpackr's
 * default buffer mode never overwrites a returned result).
 */
export function encodeFrame(frame: Frame): Buffer {
  const out: Record<string, unknown> = { v: frame.v, t: frame.t };
  if (frame.id !== undefined) out['id'] = frame.id;
  if (frame.p !== undefined) out['p'] = frame.p;
  if (frame.err !== undefined) out['err'] = { code: frame.err.code, message: frame.err.message };
  return packr.pack(out);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** Decodes and validates one message. Throws PeerProtocolError for anything that is not a valid v1 envelope. */
export function decodeFrame(data: Uint8Array): Frame {
  let raw: unknown;
  try {
    raw = packr.unpack(data);
  } catch (cause) {
    throw new PeerProtocolError(`undecodable frame (${data.length} bytes)`, { cause });
  }
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
  if (raw['p'] !== undefined) frame.p = raw['p'];
  const err = raw['err'];
  if (err !== undefined) {
    if (!isPlainObject(err) || typeof err['code'] !== 'string' || typeof err['message'] !== 'string') {
      throw new PeerProtocolError(`invalid error in ${t} frame`);
    }
    frame.err = { code: err['code'], message: err['message'] };
  }
  return frame;
}

/** Turns ws message data (Buffer, Buffer[] for fragmented messages, or ArrayBuffer) into one Buffer. */
export function messageBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
