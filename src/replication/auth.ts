import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { PeerProtocolError } from './peer-errors.js';

/**
 * Mutual challenge-response over the shared cluster secret (`streamkeeper.cluster.secret`):
 *   server -> client  challenge { nonce: sN }
 *   client -> server  hello     { brokerId, clusterId, nonce: cN, mac: HMAC(secret, "client" sN cN brokerId clusterId) }
 *   server -> client  welcome   { brokerId: serverId, mac: HMAC(secret, "server" cN sN serverId clusterId) }
 * Nonces are 32 random bytes, broker ids int32 big-endian, the cluster id UTF-8 and last, so the MAC input is
 * unambiguous. Fresh nonces on both sides defeat replay; the distinct labels defeat reflection. The welcome MAC
 * also binds the server's broker id, so a client can tell that it reached the broker it meant to reach.
 */
export const AuthFrameType = {
  CHALLENGE: 'challenge',
  HELLO: 'hello',
  WELCOME: 'welcome',
} as const;

/** What each end of the channel is configured with: who it is, the shared secret, its logger and clock. */
export interface PeerIdentity {
  /** This broker's id. */
  brokerId: number;
  clusterId: string;
  /** `streamkeeper.cluster.secret`; must not be empty. */
  secret: string;
  logger: Logger;
  clock: Clock;
}

export const NONCE_BYTES = 32;
export const MAC_BYTES = 32;
/** A client that has not sent a valid hello by then is disconnected. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;
const MAX_CLUSTER_ID_LENGTH = 256;

export interface ChallengePayload {
  nonce: Buffer;
}
export interface HelloPayload {
  brokerId: number;
  clusterId: string;
  nonce: Buffer;
  mac: Buffer;
}
export interface WelcomePayload {
  brokerId: number;
  mac: Buffer;
}

/** The HMAC key for a configured secret; an empty secret is refused. */
export function secretKey(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.trim().length === 0) {
    throw new Error(
      'streamkeeper.cluster.secret is empty: inter-broker connections require a shared cluster secret; ' +
        'set the same non-empty value on every broker',
    );
  }
  return Buffer.from(secret, 'utf8');
}

export function newNonce(): Buffer {
  return randomBytes(NONCE_BYTES);
}

function mac(key: Buffer, label: 'client' | 'server', first: Uint8Array, second: Uint8Array, brokerId: number, clusterId: string): Buffer {
  const id = Buffer.allocUnsafe(4);
  id.writeInt32BE(brokerId);
  return createHmac('sha256', key).update(label).update(first).update(second).update(id).update(clusterId, 'utf8').digest();
}

export function clientMac(key: Buffer, serverNonce: Uint8Array, clientNonce: Uint8Array, brokerId: number, clusterId: string): Buffer {
  return mac(key, 'client', serverNonce, clientNonce, brokerId, clusterId);
}

export function serverMac(key: Buffer, clientNonce: Uint8Array, serverNonce: Uint8Array, serverBrokerId: number, clusterId: string): Buffer {
  return mac(key, 'server', clientNonce, serverNonce, serverBrokerId, clusterId);
}

/** Constant-time comparison of a received MAC with the expected one. */
export function macMatches(received: Uint8Array, expected: Buffer): boolean {
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function record(p: unknown, what: string): Record<string, unknown> {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new PeerProtocolError(`${what} payload is not a map`);
  return p as Record<string, unknown>;
}

function bytes(r: Record<string, unknown>, key: string, length: number, what: string): Buffer {
  const v = r[key];
  if (!(v instanceof Uint8Array) || v.length !== length) throw new PeerProtocolError(`${what}.${key} must be ${length} bytes`);
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function brokerIdOf(r: Record<string, unknown>, what: string): number {
  const v = r['brokerId'];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fff_ffff) {
    throw new PeerProtocolError(`${what}.brokerId must be a non-negative int32`);
  }
  return v;
}

export function parseChallenge(p: unknown): ChallengePayload {
  const r = record(p, 'challenge');
  return { nonce: bytes(r, 'nonce', NONCE_BYTES, 'challenge') };
}

export function parseHello(p: unknown): HelloPayload {
  const r = record(p, 'hello');
  const clusterId = r['clusterId'];
  if (typeof clusterId !== 'string' || clusterId.length === 0 || clusterId.length > MAX_CLUSTER_ID_LENGTH) {
    throw new PeerProtocolError('hello.clusterId must be a non-empty string');
  }
  return {
    brokerId: brokerIdOf(r, 'hello'),
    clusterId,
    nonce: bytes(r, 'nonce', NONCE_BYTES, 'hello'),
    mac: bytes(r, 'mac', MAC_BYTES, 'hello'),
  };
}

export function parseWelcome(p: unknown): WelcomePayload {
  const r = record(p, 'welcome');
  return { brokerId: brokerIdOf(r, 'welcome'), mac: bytes(r, 'mac', MAC_BYTES, 'welcome') };
}
