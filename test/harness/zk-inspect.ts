import ZooKeeper from 'zookeeper';

/** The parts of a znode's Stat the tests look at. */
export interface ZnodeStat {
  readonly czxid: number;
  readonly version: number;
  /** Session id of the owner as a hex-ish string; "0" for persistent nodes. */
  readonly ephemeralOwner: string;
  readonly numChildren: number;
}

export interface Znode {
  readonly data: Buffer;
  readonly stat: ZnodeStat;
}

const NO_NODE = -101;

function rcOf(err: unknown): number | undefined {
  const m = err instanceof Error ? /^(-?\d+)\s/.exec(err.message) : null;
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * A read-mostly ZooKeeper client for tests, built directly on the `zookeeper` package so the tests do not depend
 * on the broker's own ZooKeeper code. Missing nodes come back as `undefined`.
 */
export class ZkInspector {
  readonly #client: ZooKeeper;

  private constructor(client: ZooKeeper) {
    this.#client = client;
  }

  /** Connects to `connectString` (chroot allowed), waiting at most `timeoutMs`. */
  static async connect(connectString: string, timeoutMs = 10_000): Promise<ZkInspector> {
    const client = new ZooKeeper({
      connect: connectString,
      timeout: 10_000,
      debug_level: ZooKeeper.constants.ZOO_LOG_LEVEL_ERROR,
      host_order_deterministic: false,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new Error(`could not connect to ZooKeeper at ${connectString} within ${timeoutMs} ms`));
      }, timeoutMs);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.init({});
    });
    return new ZkInspector(client);
  }

  async get(path: string): Promise<Znode | undefined> {
    try {
      const [stat, data] = (await this.#client.get(path, false)) as [ZnodeStat, Buffer | string | null];
      const buf = data === null || data === undefined ? Buffer.alloc(0) : Buffer.from(data);
      return { data: buf, stat };
    } catch (err) {
      if (rcOf(err) === NO_NODE) return undefined;
      throw err;
    }
  }

  /** The node's data parsed as JSON, or undefined when the node does not exist. */
  async getJson(path: string): Promise<unknown> {
    const node = await this.get(path);
    if (node === undefined) return undefined;
    try {
      return JSON.parse(node.data.toString('utf8')) as unknown;
    } catch (err) {
      throw new Error(`znode ${path} is not JSON: ${JSON.stringify(node.data.toString('utf8'))}`, { cause: err });
    }
  }

  async exists(path: string): Promise<ZnodeStat | undefined> {
    try {
      return (await this.#client.exists(path, false)) as ZnodeStat;
    } catch (err) {
      if (rcOf(err) === NO_NODE) return undefined;
      throw err;
    }
  }

  async children(path: string): Promise<string[] | undefined> {
    try {
      return [...(await this.#client.get_children(path, false))].sort();
    } catch (err) {
      if (rcOf(err) === NO_NODE) return undefined;
      throw err;
    }
  }

  /** Creates a persistent node (parents must exist). */
  async createPersistent(path: string, data: string): Promise<void> {
    await this.#client.create(path, data, ZooKeeper.constants.ZOO_PERSISTENT);
  }

  close(): void {
    this.#client.close();
  }
}
