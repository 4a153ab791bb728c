import { secretKey } from './auth.js';
import type { PeerIdentity } from './auth.js';
import { PEER_PATH } from './frames.js';
import { PeerClient } from './peer-client.js';
import type { PeerClientOptions, PeerRequestOptions } from './peer-client.js';
import { PeerClosedError, PeerUnavailableError } from './peer-errors.js';

/** What the cluster layer (controller, and later brokers talking to the controller) uses to reach a broker. */
export interface ControllerChannel {
  sendToBroker(brokerId: number, type: string, payload: unknown): Promise<unknown>;
}

/** A broker's inter-broker listener. */
export interface BrokerEndpoint {
  host: string;
  port: number;
}

export type LocalRequestHandler = (type: string, payload: unknown) => Promise<unknown>;

/** Tuning passed to every PeerClient the manager creates. */
export type PeerClientTuning = Partial<
  Pick<
    PeerClientOptions,
    | 'requestTimeoutMs'
    | 'maxInFlight'
    | 'maxPayloadBytes'
    | 'highWaterMarkBytes'
    | 'heartbeatIntervalMs'
    | 'handshakeTimeoutMs'
    | 'reconnectBackoffMs'
    | 'reconnectBackoffMaxMs'
  >
>;

/** `brokerId` is this broker's: requests to it go to the local handler, not over a socket. */
export interface BrokerChannelManagerOptions extends PeerIdentity {
  /** The current endpoint of a broker (from the metadata cache or /brokers/ids), or null if it is unknown. */
  resolveEndpoint(brokerId: number): BrokerEndpoint | null;
  client?: PeerClientTuning;
}

export function peerUrl(endpoint: BrokerEndpoint): string {
  const host = endpoint.host.includes(':') && !endpoint.host.startsWith('[') ? `[${endpoint.host}]` : endpoint.host;
  return `ws://${host}:${endpoint.port}${PEER_PATH}`;
}

/**
 * One PeerClient per destination broker, created on first use from `resolveEndpoint` and replaced when the
 * broker's endpoint changes. Each client requires the remote to prove it is the broker it was created for.
 */
export class BrokerChannelManager implements ControllerChannel {
  readonly #o: BrokerChannelManagerOptions;
  readonly #clients = new Map<number, PeerClient>();
  #localHandler: LocalRequestHandler | undefined;
  #closed = false;

  constructor(options: BrokerChannelManagerOptions) {
    secretKey(options.secret); // refuse an empty secret now rather than at the first send
    this.#o = options;
  }

  /** Handles requests addressed to this broker itself (e.g. the controller's own LeaderAndIsr). */
  setLocalHandler(handler: LocalRequestHandler): void {
    this.#localHandler = handler;
  }

  sendToBroker(brokerId: number, type: string, payload: unknown, opts?: PeerRequestOptions): Promise<unknown> {
    if (this.#closed) return Promise.reject(new PeerClosedError('broker channel manager is closed'));
    if (brokerId === this.#o.brokerId) {
      const local = this.#localHandler;
      if (local === undefined) return Promise.reject(new PeerUnavailableError(`no local handler for ${type} on broker ${brokerId}`));
      return new Promise((resolve) => resolve(local(type, payload)));
    }
    let client: PeerClient;
    try {
      client = this.clientFor(brokerId);
    } catch (e) {
      return Promise.reject(e);
    }
    return client.request(type, payload, opts);
  }

  /**
   * The client for a remote broker (for replication traffic as well), created or replaced to match the broker's
   * current endpoint. Throws PeerUnavailableError when the endpoint is unknown.
   */
  clientFor(brokerId: number): PeerClient {
    if (this.#closed) throw new PeerClosedError('broker channel manager is closed');
    if (brokerId === this.#o.brokerId) throw new Error(`broker ${brokerId} is the local broker`);
    const endpoint = this.#o.resolveEndpoint(brokerId);
    if (endpoint === null) throw new PeerUnavailableError(`broker ${brokerId} has no known endpoint`);
    const url = peerUrl(endpoint);
    const existing = this.#clients.get(brokerId);
    if (existing !== undefined) {
      if (existing.url === url) return existing;
      this.#o.logger.info('broker endpoint changed; reconnecting', { brokerId, from: existing.url, to: url });
      this.#clients.delete(brokerId);
      void existing.close();
    }
    const { brokerId: self, clusterId, secret, logger, clock } = this.#o;
    const client = new PeerClient({
      ...this.#o.client,
      url,
      brokerId: self,
      clusterId,
      secret,
      logger: logger.child({ remoteBrokerId: brokerId }),
      clock,
      expectedBrokerId: brokerId,
    });
    this.#clients.set(brokerId, client);
    return client;
  }

  /** Remote brokers that currently have a client. */
  brokers(): number[] {
    return [...this.#clients.keys()].sort((a, b) => a - b);
  }

  /** Closes the broker's client; its outstanding requests fail with PeerClosedError. */
  async removeBroker(brokerId: number): Promise<void> {
    const client = this.#clients.get(brokerId);
    if (client === undefined) return;
    this.#clients.delete(brokerId);
    await client.close();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const clients = [...this.#clients.values()];
    this.#clients.clear();
    await Promise.all(clients.map((c) => c.close()));
  }
}
