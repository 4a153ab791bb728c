import { EventEmitter } from 'node:events';
import type { Logger } from '../util/logger.js';
import { moduleLogger } from '../util/logger.js';
import type { Clock } from '../util/clock.js';
import { systemClock } from '../util/clock.js';
import type { NativeStat, NativeWatchCb, NativeZooKeeper, NativeZooKeeperRequests } from './native-zookeeper.js';
import { NativeCloseCode, NativeCreateFlag, NativeEventType, nativeZooKeeperClass } from './native-zookeeper.js';
import {
  ZkCode,
  ZkConnectionLossError,
  ZkError,
  ZkNoNodeError,
  ZkNodeExistsError,
  ZkNotEmptyError,
  ZkSessionExpiredError,
  zkErrorFor,
} from './zk-errors.js';

/**
 * A znode's Stat. Zxids are `bigint` (exact: the native client hands them over as doubles, which is lossless
 * while the ZooKeeper leader epoch stays below 2^21). Times are epoch milliseconds. `ephemeralOwner` is the
 * owning session id in lower-case hex (the same form as `ZkClient.sessionId`), `'0'` for persistent nodes.
 */
export interface ZkStat {
  readonly czxid: bigint;
  readonly mzxid: bigint;
  readonly pzxid: bigint;
  readonly ctime: number;
  readonly mtime: number;
  readonly version: number;
  readonly cversion: number;
  readonly aversion: number;
  readonly ephemeralOwner: string;
  readonly dataLength: number;
  readonly numChildren: number;
}

export type CreateMode = keyof typeof NativeCreateFlag;
export type ZkEventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';
export interface ZkWatchEvent {
  readonly type: ZkEventType;
  readonly path: string;
}
/** A one-shot watcher: called at most once, for the first node event after it was set. */
export type ZkWatcher = (event: ZkWatchEvent) => void;
export type ZkClientState = 'connecting' | 'connected' | 'disconnected' | 'expired' | 'closed';

export interface ZkClientOptions {
  /** `host:port[,host:port...][/chroot]`. */
  readonly connectString: string;
  readonly sessionTimeoutMs: number;
  /** How long connect() and reconnect() wait for a session (zookeeper.connection.timeout.ms); default = sessionTimeoutMs. */
  readonly connectionTimeoutMs?: number;
  readonly logger?: Logger;
  /** Create the chroot path when missing, like Kafka (default true). */
  readonly createChroot?: boolean;
  readonly clock?: Clock;
}

/** `hosts` without the chroot, and the chroot (`''` when absent), of a ZooKeeper connect string. */
export function splitConnectString(connectString: string): { hosts: string; chroot: string } {
  const slash = connectString.indexOf('/');
  if (slash < 0) return { hosts: connectString, chroot: '' };
  const chroot = connectString.slice(slash).replace(/\/+$/, '');
  return { hosts: connectString.slice(0, slash), chroot };
}

const EVENT_TYPES: ReadonlyMap<number, ZkEventType> = new Map([
  [NativeEventType.CREATED, 'NodeCreated'],
  [NativeEventType.DELETED, 'NodeDeleted'],
  [NativeEventType.CHANGED, 'NodeDataChanged'],
  [NativeEventType.CHILD, 'NodeChildrenChanged'],
]);

function toStat(s: NativeStat): ZkStat {
  return {
    czxid: BigInt(s.czxid),
    mzxid: BigInt(s.mzxid),
    pzxid: BigInt(s.pzxid),
    ctime: s.ctime.getTime(),
    mtime: s.mtime.getTime(),
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner,
    dataLength: s.dataLength,
    numChildren: s.numChildren,
  };
}

function toBuffer(data: Buffer | string | null): Buffer {
  if (data === null) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * Generic ZooKeeper client (Kafka's ZooKeeperClient layer) over the native `zookeeper` package.
 * Operations are promises that reject with typed ZkErrors; watchers are one-shot callbacks.
 * Events: 'connected' (session (re)established), 'disconnected' (connection lost, session may survive),
 * 'expired' (session gone: ephemerals and watches are lost; call reconnect()).
 * Requests are not retried on connection loss; callers see ZkConnectionLossError.
 * Data of length 0 reads as `null`: this client cannot write a null payload, so empty stands in for it.
 */
export class ZkClient extends EventEmitter {
  readonly #options: ZkClientOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #native: NativeZooKeeper | null = null;
  #generation = 0;
  #state: ZkClientState = 'connecting';
  #debugLog = false;

  private constructor(options: ZkClientOptions) {
    super();
    this.#options = options;
    this.#logger = options.logger ?? moduleLogger('zk-client');
    this.#clock = options.clock ?? systemClock;
  }

  /** Connects; with a chroot, first connects without it to create the chroot path (unless createChroot is false). */
  static async connect(options: ZkClientOptions): Promise<ZkClient> {
    const { hosts, chroot } = splitConnectString(options.connectString);
    if (chroot !== '' && options.createChroot !== false) {
      const bootstrap = new ZkClient({ ...options, connectString: hosts });
      await bootstrap.#open();
      try {
        await bootstrap.mkdirp(chroot);
      } finally {
        bootstrap.close();
      }
    }
    const client = new ZkClient(options);
    await client.#open();
    return client;
  }

  get state(): ZkClientState {
    return this.#state;
  }
  /** The current session id, lower-case hex (compare with ZkStat.ephemeralOwner). */
  get sessionId(): string {
    return this.#native?.client_id ?? '0';
  }
  /** The session timeout the server granted (it clamps the requested one to its min/max). */
  get negotiatedSessionTimeoutMs(): number {
    return this.#native?.timeout ?? -1;
  }

  /** Replaces the session with a new one (after 'expired', or to drop this session's ephemerals); emits 'connected'. */
  async reconnect(): Promise<void> {
    this.#dropNative();
    await this.#open();
    this.emit('connected');
  }

  /** Closes the session; its ephemeral nodes disappear at once. */
  close(): void {
    this.#dropNative();
    this.#state = 'closed';
  }

  async get(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer | null; stat: ZkStat }> {
    return this.#request('get', path, (n, done) => {
      const cb = (rc: number, _m: string, stat: NativeStat | null, data: Buffer | null): void =>
        done(rc, () => ({ data: data === null || data.length === 0 ? null : data, stat: toStat(stat as NativeStat) }));
      return watcher === undefined ? n.a_get(path, false, cb) : n.aw_get(path, this.#wrapWatcher(watcher), cb);
    });
  }

  async getChildren(path: string, watcher?: ZkWatcher): Promise<string[]> {
    return this.#request('getChildren', path, (n, done) => {
      const cb = (rc: number, _m: string, children: string[] | null): void => done(rc, () => children ?? []);
      return watcher === undefined
        ? n.a_get_children(path, false, cb)
        : n.aw_get_children(path, this.#wrapWatcher(watcher), cb);
    });
  }

  /** The node's Stat, or null. A watcher is set either way (fires on creation, deletion or data change). */
  async exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | null> {
    try {
      return await this.#request('exists', path, (n, done) => {
        const cb = (rc: number, _m: string, stat: NativeStat | null): void => done(rc, () => toStat(stat as NativeStat));
        return watcher === undefined ? n.a_exists(path, false, cb) : n.aw_exists(path, this.#wrapWatcher(watcher), cb);
      });
    } catch (err) {
      if (err instanceof ZkNoNodeError) return null;
      throw err;
    }
  }

  /** Creates a node; returns its path (with the sequence suffix for sequential modes). */
  async create(path: string, data: Buffer | string | null, mode: CreateMode): Promise<string> {
    const flags = NativeCreateFlag[mode];
    return this.#request('create', path, (n, done) =>
      n.a_create(path, toBuffer(data), flags, (rc, _m, created) => done(rc, () => created)),
    );
  }

  /** Conditional setData; version -1 matches any version. Returns the new Stat. */
  async set(path: string, data: Buffer | string | null, version: number): Promise<ZkStat> {
    return this.#request('set', path, (n, done) =>
      n.a_set(path, toBuffer(data), version, (rc, _m, stat) => done(rc, () => toStat(stat as NativeStat))),
    );
  }

  /** Conditional delete; version -1 matches any version. */
  async delete(path: string, version: number): Promise<void> {
    return this.#request('delete', path, (n, done) => n.a_delete_(path, version, (rc) => done(rc, () => undefined)));
  }

  /** Deletes a node and everything under it; a missing node is not an error. */
  async deleteRecursive(path: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let children: string[];
      try {
        children = await this.getChildren(path);
      } catch (err) {
        if (err instanceof ZkNoNodeError) return;
        throw err;
      }
      for (const child of children) await this.deleteRecursive(`${path === '/' ? '' : path}/${child}`);
      try {
        await this.delete(path, -1);
        return;
      } catch (err) {
        if (err instanceof ZkNoNodeError) return;
        // Someone added a child meanwhile: go round again (a few times, then give up).
        if (!(err instanceof ZkNotEmptyError) || attempt >= 5) throw err;
      }
    }
  }

  /** Creates every missing node of `path` as persistent and empty. */
  async mkdirp(path: string): Promise<void> {
    let prefix = '';
    for (const part of path.split('/').filter((p) => p !== '')) {
      prefix += `/${part}`;
      try {
        await this.create(prefix, null, 'persistent');
      } catch (err) {
        if (!(err instanceof ZkNodeExistsError)) throw err;
      }
    }
  }

  #request<T>(
    op: string,
    path: string,
    send: (native: NativeZooKeeperRequests, done: (rc: number, result: () => T) => void) => number,
  ): Promise<T> {
    const handle = this.#native;
    if (handle === null) return Promise.reject(this.#unusableError(op, path));
    // Straight to the addon binding unless the package's debug log is on (see NativeZooKeeper.native).
    const native = this.#debugLog ? handle : handle.native ?? handle;
    return new Promise<T>((resolve, reject) => {
      const rc = send(native, (code, result) => {
        if (code === ZkCode.OK) resolve(result());
        else reject(zkErrorFor(code, op, path));
      });
      if (rc !== ZkCode.OK) reject(rc === ZkCode.INVALIDSTATE ? this.#unusableError(op, path) : zkErrorFor(rc, op, path));
    });
  }

  #unusableError(op: string, path: string): ZkError {
    if (this.#state === 'expired') {
      return new ZkSessionExpiredError(ZkCode.SESSIONEXPIRED, `ZooKeeper session expired; cannot ${op} ${path}`, path);
    }
    return new ZkError(ZkCode.INVALIDSTATE, `ZooKeeper client is closed; cannot ${op} ${path}`, path);
  }

  #wrapWatcher(watcher: ZkWatcher): NativeWatchCb {
    let fired = false;
    return (type, _state, path) => {
      // The C client also hands session events to every pending watcher; those are not node events.
      const eventType = EVENT_TYPES.get(type);
      if (eventType === undefined || fired) return;
      fired = true;
      try {
        watcher({ type: eventType, path });
      } catch (err) {
        this.#logger.error('ZooKeeper watcher threw', { path, eventType, err });
      }
    };
  }

  #dropNative(): void {
    const native = this.#native;
    if (native === null) return;
    this.#native = null;
    this.#generation++; // events of the old handle are ignored from here on
    try {
      native.close();
    } finally {
      native.removeAllListeners();
    }
  }

  #open(): Promise<void> {
    const { connectString, sessionTimeoutMs } = this.#options;
    const connectionTimeoutMs = this.#options.connectionTimeoutMs ?? sessionTimeoutMs;
    const generation = ++this.#generation;
    const NativeClass = nativeZooKeeperClass();
    const native = new NativeClass({
      connect: connectString,
      timeout: sessionTimeoutMs,
      debug_level: 0, // silences the C library, which would otherwise write to stderr
      host_order_deterministic: false,
      data_as_buffer: true,
    });
    this.#debugLog = this.#logger.isDebugEnabled();
    if (this.#debugLog) native.setLogger((msg: unknown) => this.#logger.debug(String(msg)));
    this.#native = native;
    this.#state = 'connecting';
    const current = (): boolean => generation === this.#generation;

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (err: ZkError): void => {
        settled = true;
        cancelTimer();
        this.#dropNative();
        this.#state = 'closed';
        reject(err);
      };
      const cancelTimer = this.#clock.schedule(connectionTimeoutMs, () => {
        if (settled || !current()) return;
        fail(
          new ZkConnectionLossError(
            ZkCode.CONNECTIONLOSS,
            `could not connect to ZooKeeper at ${connectString} within ${connectionTimeoutMs} ms`,
          ),
        );
      });
      native.on('connect', () => {
        if (!current()) return;
        this.#state = 'connected';
        this.#logger.debug('ZooKeeper connected', { sessionId: native.client_id, timeoutMs: native.timeout });
        if (!settled) {
          settled = true;
          cancelTimer();
          resolve();
        } else {
          this.emit('connected');
        }
      });
      native.on('connecting', () => {
        if (!current() || this.#state !== 'connected') return;
        this.#state = 'disconnected';
        this.#logger.warn('ZooKeeper connection lost; reconnecting', { sessionId: native.client_id });
        this.emit('disconnected');
      });
      native.on('close', (_self: unknown, code: unknown) => {
        if (!current()) return;
        if (code === NativeCloseCode.EXPIRED_SESSION || code === NativeCloseCode.AUTH_FAILED) {
          const expired = code === NativeCloseCode.EXPIRED_SESSION;
          const message = expired ? 'ZooKeeper session expired' : 'ZooKeeper authentication failed';
          if (!settled) {
            fail(new ZkSessionExpiredError(ZkCode.SESSIONEXPIRED, `${message} while connecting to ${connectString}`));
            return;
          }
          this.#native = null;
          this.#generation++;
          native.removeAllListeners();
          this.#state = 'expired';
          this.#logger.warn(message, { code });
          this.emit('expired');
        }
      });
      try {
        native.init({});
      } catch (err) {
        fail(new ZkError(ZkCode.BADARGUMENTS, `invalid ZooKeeper connect string '${connectString}'`, null, { cause: err }));
      }
    });
  }
}
