import type { StoredMember } from '../records/coordinator-record.js';
import type { JoinGroupResult, SyncGroupResult } from './group-api.js';

/** How a parked JoinGroup or SyncGroup is answered (resolves the request's promise). */
export type JoinCallback = (result: JoinGroupResult) => void;
export type SyncCallback = (result: SyncGroupResult) => void;

/** One (name, metadata) entry of a member's JoinGroup protocol list. */
export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** What a member is created from: its stored identity and timeouts, and the protocols it joined with. */
export interface MemberInit extends Omit<StoredMember, 'subscription' | 'assignment'> {
  protocolType: string;
  protocols: readonly MemberProtocol[];
}

const EMPTY = Buffer.alloc(0);

/**
 * One member of a classic group (Kafka's MemberMetadata): its protocols, assignment, parked Join/Sync callbacks and
 * its session (or new-member join) expiration timer.
 */
export class MemberMetadata {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  supportedProtocols: readonly MemberProtocol[];
  assignment: Buffer = EMPTY;
  awaitingJoin: JoinCallback | null = null;
  awaitingSync: SyncCallback | null = null;
  /** Set when added by a JoinGroup, cleared when that rebalance completes: new members expire on the 5-minute join timeout. */
  isNew = false;
  #cancelExpiration: (() => void) | null = null;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.protocolType = init.protocolType;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.supportedProtocols = init.protocols;
  }

  /** A member as GroupMetadataValue stored it: its subscription is its only protocol's metadata. */
  static fromStored(m: StoredMember, protocolType: string, protocolName: string | null): MemberMetadata {
    const member = new MemberMetadata({ ...m, protocolType, protocols: [{ name: protocolName ?? '', metadata: m.subscription }] });
    member.assignment = m.assignment;
    return member;
  }

  /** The member as GroupMetadataValue stores it, with its metadata for the group's `protocol`. */
  toStored(protocol: string, assignment: Buffer): StoredMember {
    return {
      memberId: this.memberId,
      groupInstanceId: this.groupInstanceId,
      clientId: this.clientId,
      clientHost: this.clientHost,
      rebalanceTimeoutMs: this.rebalanceTimeoutMs,
      sessionTimeoutMs: this.sessionTimeoutMs,
      subscription: this.metadata(protocol),
      assignment,
    };
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  get isStaticMember(): boolean {
    return this.groupInstanceId !== null;
  }

  /** The member's metadata for `protocol`; empty when it does not support it. */
  metadata(protocol: string): Buffer {
    return this.supportedProtocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  /** True when `protocols` equals the member's current list (same names, same bytes, same order). */
  matches(protocols: readonly MemberProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** The member's first choice among `candidates`. */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (choice === undefined) throw new Error(`member ${this.memberId} does not support any of the candidate protocols`);
    return choice.name;
  }

  /** Replaces the member's expiration timer (heartbeat, session or new-member join timeout). */
  setExpiration(cancel: () => void): void {
    this.cancelExpiration();
    this.#cancelExpiration = cancel;
  }

  cancelExpiration(): void {
    this.#cancelExpiration?.();
    this.#cancelExpiration = null;
  }
}
