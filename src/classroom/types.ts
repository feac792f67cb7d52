// The classroom's messages and the ports its parts talk through (see README.md in this folder).
// A class is a network of its own (`--network dev --network-id <class id>`): full nodes and browser
// nodes, one teacher. The teacher signs the class state; every member obeys the newest one it can
// verify, and reports on itself, signed with its libp2p peer key.

/** Most members a class roster holds (a full roster of live members ignores newcomers); the bound of
 * every per-member table. */
export const CLASS_MAX_MEMBERS = 64;
/** Newcomers one relaying peer may bring into a roster per CLASS_NEWCOMER_WINDOW_MS (itself not counted,
 * the teacher's node not bounded: it bounds its own relays); beyond, their reports are ignored. */
export const CLASS_NEWCOMERS_PER_RELAY = 8;
export const CLASS_NEWCOMER_WINDOW_MS = 60_000;
/** Largest class message on the wire, control or report. */
export const CLASS_MAX_MESSAGE_BYTES = 4096;
/** How often a member reports on itself, and the teacher re-publishes the current state. */
export const CLASS_REPORT_MS = 5_000;
export const CLASS_STATE_REPUBLISH_MS = 10_000;
/** A member not heard from for this long leaves the roster. */
export const CLASS_MEMBER_TTL_MS = 60_000;
/** Recent blocks a report lists (its active chain's last ones), for the teacher's merged tree. */
export const CLASS_REPORT_BLOCKS = 12;

export type ClassGroup = 'A' | 'B';

/**
 * What the teacher decides for the whole class. Every control is a new state with a higher `seq`:
 * members apply the newest valid one they have seen, so a member that joins late, or missed one,
 * catches up at the next re-publish. Only these fields exist: a state cannot spend, run code, or
 * change consensus.
 */
export interface ClassState {
  /** Strictly increasing; a state with seq <= the last applied one is ignored (replays). */
  readonly seq: number;
  /** Teacher's clock, ms since the epoch (informative only). */
  readonly issuedAt: number;
  /** Network tag (`networkTag(params)`, e.g. `dev/class-7f3a`); a state for another network is ignored. */
  readonly network: string;
  /** The teacher's node's libp2p peer id: the one peer in no group (it sees both sides while split),
   * and the only one whose report may say `kind: 'teacher'`. */
  readonly teacherPeer: string;
  /** Every member mines (true) or none does (false). */
  readonly mining: boolean;
  /** 0: mine continuously; S > 0: each member mines at most one block per S seconds (like --mine-interval). */
  readonly intervalSeconds: number;
  /** 'together': one network. 'split': two groups that ignore each other's blocks, transactions and
   * sync (a simulated partition on real nodes). 'race': as split, where group B is the team mining in
   * private; setting 'together' again publishes its chain (a real 51 % attack when it has more work). */
  readonly mode: 'together' | 'split' | 'race';
  /** Group of each member by libp2p peer id, while split or racing; members not listed are in A. */
  readonly groups: Readonly<Record<string, ClassGroup>>;
  /** Set when the class moves to a new network: members leave this one and join `resetTo` (a network id). */
  readonly resetTo: string | null;
}

/** A state signed by the teacher's Ed25519 key (64-byte signature over `controlSigningBytes(state)`). */
export interface SignedClassState {
  readonly state: ClassState;
  readonly signature: Uint8Array;
}

/** One block of a member's recent active chain, as reported. */
export interface ReportedBlock {
  readonly hash: string;
  readonly prev: string;
  readonly height: number;
}

/** What a member says about itself, signed with its libp2p peer key (peer id = who signed). */
export interface ClassReport {
  readonly peerId: string;
  /** 1–24 characters: letters, digits, space, `-`, `_`, `.`. */
  readonly name: string;
  readonly kind: 'browser' | 'full' | 'teacher';
  /** The member's wallet address, where classmates pay it by name. */
  readonly address: string;
  readonly height: number;
  readonly tip: string;
  readonly hashRate: number;
  /** Blocks on its active chain whose coinbase pays `address` (counted by the member). */
  readonly blocksFound: number;
  readonly mining: boolean;
  readonly group: ClassGroup | null;
  /** Its active chain's last CLASS_REPORT_BLOCKS blocks, tip first. */
  readonly recent: readonly ReportedBlock[];
  /** Member's clock, ms since the epoch. */
  readonly at: number;
}

export interface SignedClassReport {
  readonly report: ClassReport;
  readonly signature: Uint8Array;
}

/** A member as the roster keeps it: its last report and when it was heard. */
export interface RosterEntry {
  readonly report: ClassReport;
  readonly heardAt: number;
}

/** The verdict on a class message from gossip: `reject` costs the relaying peer points. */
export type ClassVerdict = 'accept' | 'ignore' | 'reject';

/** What a class member needs from the network layer (P2PNetwork implements it). */
export interface ClassNet {
  readonly peerId: string;
  /** Subscribes to a topic of this network (e.g. the class topic) with a validator. */
  addTopic(topic: string, onMessage: (data: Uint8Array, from: string) => ClassVerdict): void;
  publishTopic(topic: string, data: Uint8Array): Promise<void>;
  /** While set, blocks, transactions, sync and mempool exchange with peers for which `accept` is false
   * are ignored and not requested (no points lost); null lifts it and re-syncs with every peer. */
  setPeerFilter(accept: ((peerId: string) => boolean) | null): void;
  /** Signs with the node's libp2p key (the report signature). */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** What a member obeys; implemented by the full node and the browser node. Nothing else is reachable. */
export interface ClassControls {
  setMining(on: boolean, intervalSeconds: number): void;
  /** The class moves to network id `networkId`: leave this network and join that one. */
  resetTo(networkId: string): void;
}

/** What a member reports, read from its own node. */
export interface ClassSelf {
  readonly kind: ClassReport['kind'];
  name(): string;
  address(): string;
  height(): number;
  tip(): string;
  hashRate(): number;
  mining(): boolean;
  blocksFound(): number;
  /** Active chain's last `count` blocks, tip first. */
  recent(count: number): ReportedBlock[];
}

/** A node of the teacher's merged block tree: every block any member reported, or the teacher knows. */
export interface TreeBlock {
  readonly hash: string;
  readonly prev: string;
  readonly height: number;
  /** Names of the members whose active chain ends at this block. */
  readonly tipOf: readonly string[];
  /** Name of the member whose address the coinbase pays, when the teacher's node has the block. */
  readonly minedBy: string | null;
  /** On the teacher node's active chain. */
  readonly main: boolean;
}
