import { createRequire } from 'node:module';

/**
 * The slice of the `zookeeper` npm package (7.3.0, native C client) that ZkClient uses, typed by hand:
 * the package's own declarations describe the promise wrapper, whose errors lose the result code.
 * Every `a_*` call returns a synchronous result code (< 0 = not sent) and later calls its callback
 * with (rc, message, ...result).
 */
export interface NativeStat {
  readonly czxid: number;
  readonly mzxid: number;
  readonly pzxid: number;
  readonly ctime: Date;
  readonly mtime: Date;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: string;
  readonly dataLength: number;
  readonly numChildren: number;
}

export type NativeWatchCb = (type: number, state: number, path: string) => void;

/** The asynchronous requests, which the package's ZooKeeper class and its addon binding both offer. */
export interface NativeZooKeeperRequests {
  a_create(path: string, data: Buffer, flags: number, cb: (rc: number, msg: string, path: string) => void): number;
  a_exists(path: string, watch: boolean, cb: (rc: number, msg: string, stat: NativeStat | null) => void): number;
  aw_exists(path: string, w: NativeWatchCb, cb: (rc: number, msg: string, stat: NativeStat | null) => void): number;
  a_get(path: string, watch: boolean, cb: (rc: number, msg: string, stat: NativeStat | null, data: Buffer | null) => void): number;
  aw_get(path: string, w: NativeWatchCb, cb: (rc: number, msg: string, stat: NativeStat | null, data: Buffer | null) => void): number;
  a_get_children(path: string, watch: boolean, cb: (rc: number, msg: string, children: string[] | null) => void): number;
  aw_get_children(path: string, w: NativeWatchCb, cb: (rc: number, msg: string, children: string[] | null) => void): number;
  a_set(path: string, data: Buffer, version: number, cb: (rc: number, msg: string, stat: NativeStat | null) => void): number;
  a_delete_(path: string, version: number, cb: (rc: number, msg: string) => void): number;
}

export interface NativeZooKeeper extends NativeZooKeeperRequests {
  init(config: Record<string, unknown>): NativeZooKeeper;
  close(): void;
  setLogger(logger: ((...args: unknown[]) => void) | false): void;
  on(event: string, listener: (...args: unknown[]) => void): NativeZooKeeper;
  removeAllListeners(): NativeZooKeeper;
  readonly client_id: string;
  readonly timeout: number;
  /**
   * The addon's binding behind the class (an undocumented field of zookeeper 7.x). Its a_* methods take the same
   * arguments; the class's own wrappers format every argument with util.inspect for their debug log on each call,
   * logger or not (measured: 2 µs for a get, 5 µs for a set with a 60-byte state, against ~30 µs of client CPU
   * per pipelined request in all). The class adds nothing else to them while `data_as_buffer` is true.
   */
  readonly native?: NativeZooKeeperRequests;
}

type NativeZooKeeperClass = new (config: Record<string, unknown>) => NativeZooKeeper;

const require = createRequire(import.meta.url);
let cached: NativeZooKeeperClass | undefined;

/** The package's ZooKeeper class, loaded on first use (so importing this module never loads the addon). */
export function nativeZooKeeperClass(): NativeZooKeeperClass {
  cached ??= require('zookeeper') as NativeZooKeeperClass;
  return cached;
}

/** Create flags (zookeeper.h). */
export const NativeCreateFlag = { persistent: 0, ephemeral: 1, persistent_sequential: 2, ephemeral_sequential: 3 } as const;

/** Watch event types (zookeeper.h); SESSION (-1) and NOTWATCHING (-2) are not node events. */
export const NativeEventType = { CREATED: 1, DELETED: 2, CHANGED: 3, CHILD: 4, SESSION: -1, NOTWATCHING: -2 } as const;

/** `close` event codes: 0 = closed by us, otherwise a session state. */
export const NativeCloseCode = { CLOSED: 0, EXPIRED_SESSION: -112, AUTH_FAILED: -113 } as const;
