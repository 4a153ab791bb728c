import { StreamkeeperError } from '../util/errors.js';

/** ZooKeeper result codes (ZooDefs / zookeeper.h), by the C client's names. */
export const ZkCode = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  INVALIDSTATE: -9,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  CLOSING: -116,
  NOTHING: -117,
  SESSIONMOVED: -118,
} as const;
export type ZkCodeName = keyof typeof ZkCode;

function codeName(code: number): string {
  for (const [name, value] of Object.entries(ZkCode)) if (value === code) return name;
  return `UNKNOWN(${code})`;
}

/**
 * Base of every ZooKeeper failure. `code` is the ZooKeeper result code, `path` the znode involved (if any).
 * Seen from a Kafka client these are server-side failures, hence UNKNOWN_SERVER_ERROR.
 */
export class ZkError extends StreamkeeperError {
  readonly code: number;
  readonly path: string | null;
  constructor(code: number, message: string, path: string | null = null, options?: { cause?: unknown }) {
    super('UNKNOWN_SERVER_ERROR', message, options);
    this.code = code;
    this.path = path;
  }
  get codeName(): string {
    return codeName(this.code);
  }
}
export class ZkNoNodeError extends ZkError {}
export class ZkNodeExistsError extends ZkError {}
export class ZkBadVersionError extends ZkError {}
export class ZkNotEmptyError extends ZkError {}
export class ZkSessionExpiredError extends ZkError {}
export class ZkConnectionLossError extends ZkError {}

/** The typed error for a ZooKeeper result code from an operation on `path`. */
export function zkErrorFor(code: number, op: string, path: string | null, detail?: string): ZkError {
  const where = path === null ? op : `${op} ${path}`;
  const message = `ZooKeeper ${codeName(code)} (${code}) on ${where}${detail === undefined ? '' : `: ${detail}`}`;
  switch (code) {
    case ZkCode.NONODE:
      return new ZkNoNodeError(code, message, path);
    case ZkCode.NODEEXISTS:
      return new ZkNodeExistsError(code, message, path);
    case ZkCode.BADVERSION:
      return new ZkBadVersionError(code, message, path);
    case ZkCode.NOTEMPTY:
      return new ZkNotEmptyError(code, message, path);
    case ZkCode.SESSIONEXPIRED:
      return new ZkSessionExpiredError(code, message, path);
    case ZkCode.CONNECTIONLOSS:
    case ZkCode.OPERATIONTIMEOUT:
      return new ZkConnectionLossError(code, message, path);
    default:
      return new ZkError(code, message, path);
  }
}
