// A class member: listens on the class topic, judges each message (README.md, "A member judges each
// message"), obeys the newest state the teacher signed, keeps the roster of reports, and reports on
// itself every CLASS_REPORT_MS. Runs in the full node and in the browser node alike.
import { protocolIds } from '../p2p/protocol.js';
import {
  ClassMessageError,
  decodeClassMessage,
  encodeReportMessage,
  signReport,
  verifyReport,
  verifyState,
} from './messages.js';
import { Roster } from './roster.js';
import {
  CLASS_REPORT_BLOCKS,
  CLASS_REPORT_MS,
  type ClassControls,
  type ClassGroup,
  type ClassNet,
  type ClassReport,
  type ClassSelf,
  type ClassState,
  type ClassVerdict,
  type RosterEntry,
  type SignedClassReport,
  type SignedClassState,
} from './types.js';

export interface ClassMemberOptions {
  readonly net: ClassNet;
  /** This network's tag (`networkTag(params)`): states of another are ignored. */
  readonly network: string;
  /** The teacher's Ed25519 public key (32 bytes): only states it signed are obeyed. */
  readonly teacherKey: Uint8Array;
  readonly self: ClassSelf;
  readonly controls: ClassControls;
  /** The teacher's own node: in no group, filters nothing, mines only as its operator says. */
  readonly teacher?: boolean;
  readonly now?: () => number;
  /** Failures of the member's own work (a report it could not sign or publish). */
  readonly onError?: (err: unknown) => void;
}

type Timer = ReturnType<typeof setInterval>;

export class ClassMember {
  readonly topic: string;
  private readonly now: () => number;
  private readonly members: Roster;
  private readonly listeners = new Set<() => void>();
  private current: ClassState | null = null;
  private timer?: Timer;
  private lastReportAt = 0;
  private started = false;

  constructor(private readonly opts: ClassMemberOptions) {
    this.now = opts.now ?? Date.now;
    this.members = new Roster(this.now);
    this.topic = protocolIds(opts.network).classTopic;
  }

  get isTeacher(): boolean {
    return this.opts.teacher === true;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.opts.net.addTopic(this.topic, (data, from) => this.judge(data, from));
    this.timer = setInterval(() => void this.report(), CLASS_REPORT_MS);
    (this.timer as { unref?: () => void }).unref?.();
    void this.report();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.started = false;
  }

  state(): ClassState | null {
    return this.current;
  }

  /** This member's group while the class is split or racing; null together, and for the teacher. */
  group(): ClassGroup | null {
    return this.groupOf(this.opts.net.peerId);
  }

  /** Every member heard from within the TTL, and this one (first). */
  roster(): RosterEntry[] {
    const others = this.members.list().filter((e) => e.report.peerId !== this.opts.net.peerId);
    return [{ report: this.ownReport(), heardAt: this.now() }, ...others];
  }

  /**
   * The address of the member of this name (a classmate paid by name); undefined when no member, or
   * more than one, has it (case and spaces aside): a classmate who takes another's name gets no payment.
   */
  addressOf(name: string): string | undefined {
    const key = nameKey(name);
    const named = this.roster().filter((e) => nameKey(e.report.name) === key);
    return named.length === 1 ? named[0]!.report.address : undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message from the class topic, as gossip hands it over: judged, and obeyed or kept when accepted. */
  judge(data: Uint8Array, from: string): ClassVerdict {
    let message: ReturnType<typeof decodeClassMessage>;
    try {
      message = decodeClassMessage(data);
    } catch (err) {
      if (err instanceof ClassMessageError) return 'reject';
      throw err;
    }
    return message.t === 'state' ? this.offerState(message.signed) : this.offerReport(message.signed, from);
  }

  /** A signed state (from gossip, or the teacher's own node signing it): obeyed if it is the newest valid one. */
  offerState(signed: SignedClassState): ClassVerdict {
    const { state } = signed;
    // The cheap checks first: an old state replayed (gossip forgets what it saw after two minutes)
    // costs no signature check.
    if (state.network !== this.opts.network) return 'ignore';
    if (this.current !== null && state.seq <= this.current.seq) return 'ignore'; // a replay, or older
    if (!verifyState(signed, this.opts.teacherKey)) return 'reject'; // forged, or tampered with
    const previous = this.current;
    this.current = state;
    this.obey(state, previous);
    this.changed();
    return 'accept';
  }

  private offerReport(signed: SignedClassReport, from: string): ClassVerdict {
    const { report } = signed;
    if (report.peerId === this.opts.net.peerId) return 'ignore';
    if (report.kind === 'teacher') {
      // Only the peer the signed state names is the teacher's node; before a state, nobody can tell.
      if (this.current === null) return 'ignore';
      if (report.peerId !== this.current.teacherPeer) return 'reject';
    }
    // The teacher's node bounds the newcomers of each of its own relays: what it relays is not bounded again.
    const relay = from === this.current?.teacherPeer ? null : from;
    if (this.members.check(report, relay) !== 'ok') return 'ignore';
    if (!verifyReport(signed)) return 'reject';
    this.members.add(report, relay);
    this.changed();
    return 'accept';
  }

  /** Applies what changed since `previous` (a re-published state changes nothing). */
  private obey(state: ClassState, previous: ClassState | null): void {
    const { controls, net } = this.opts;
    if (state.resetTo !== null && state.resetTo !== previous?.resetTo) controls.resetTo(state.resetTo);
    if (this.isTeacher) return;
    if (
      previous === null ||
      previous.mining !== state.mining ||
      previous.intervalSeconds !== state.intervalSeconds
    )
      controls.setMining(state.mining, state.intervalSeconds);
    if (state.mode === 'together') {
      if (previous !== null && previous.mode !== 'together') net.setPeerFilter(null);
      return;
    }
    const regrouped =
      previous === null ||
      previous.mode === 'together' ||
      JSON.stringify(sortedGroups(previous)) !== JSON.stringify(sortedGroups(state));
    if (!regrouped) return;
    const mine = this.group();
    net.setPeerFilter((peer) => this.groupOf(peer) === mine);
  }

  /**
   * A peer's group under the current state: members not listed are in A; the teacher's node (the peer
   * the signed state names) is in none, so that it cannot carry blocks from one group to the other.
   */
  private groupOf(peerId: string): ClassGroup | null {
    const state = this.current;
    if (state === null || state.mode === 'together') return null;
    if (peerId === state.teacherPeer || (peerId === this.opts.net.peerId && this.isTeacher)) return null;
    return state.groups[peerId] ?? 'A';
  }

  private ownReport(): ClassReport {
    const { self, net } = this.opts;
    // Strictly increasing, so that classmates never take a report for a stale one.
    const at = Math.max(this.now(), this.lastReportAt + 1);
    return {
      peerId: net.peerId,
      name: self.name(),
      kind: self.kind,
      address: self.address(),
      height: self.height(),
      tip: self.tip(),
      hashRate: Math.round(self.hashRate()),
      blocksFound: self.blocksFound(),
      mining: self.mining(),
      group: this.group(),
      recent: self.recent(CLASS_REPORT_BLOCKS).slice(0, CLASS_REPORT_BLOCKS),
      at,
    };
  }

  /** Signs and publishes this member's report. */
  async report(): Promise<void> {
    try {
      const report = this.ownReport();
      this.lastReportAt = report.at;
      const signed = await signReport(report, (bytes) => this.opts.net.sign(bytes));
      await this.opts.net.publishTopic(this.topic, encodeReportMessage(signed));
    } catch (err) {
      this.opts.onError?.(err);
    }
    if (this.members.expire()) this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (err) {
        this.opts.onError?.(err);
      }
    }
  }
}

function sortedGroups(state: ClassState): [string, ClassGroup][] {
  return Object.entries(state.groups).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A name as people read it: "Bob", "bob" and " bob " are one name. */
function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}
