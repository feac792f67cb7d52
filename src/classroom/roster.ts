// The members a class member has heard from: each one's last report, at most CLASS_MAX_MEMBERS of them,
// each forgotten CLASS_MEMBER_TTL_MS after it was heard. Fresh libp2p keys cost nothing, so a newcomer
// never pushes out a live member (a full roster ignores newcomers), and one relaying peer may bring in
// at most CLASS_NEWCOMERS_PER_RELAY newcomers per CLASS_NEWCOMER_WINDOW_MS.
import {
  CLASS_MAX_MEMBERS,
  CLASS_MEMBER_TTL_MS,
  CLASS_NEWCOMER_WINDOW_MS,
  CLASS_NEWCOMERS_PER_RELAY,
  type ClassReport,
  type RosterEntry,
} from './types.js';

/** Reports closer together than this from one member are ignored. */
export const CLASS_MIN_REPORT_GAP_MS = 1_000;
/** Relaying peers whose recent newcomers are remembered (the connection limits keep them fewer). */
const MAX_RELAYS_TRACKED = 256;
/** Members gone from the roster whose last report time is remembered, so that a replay of an old
 * report (gossip forgets what it saw after two minutes) does not bring them back. */
const MAX_DEPARTED_TRACKED = 256;

export type ReportCheck = 'ok' | 'stale' | 'too-frequent' | 'full' | 'too-many-newcomers';

export interface RosterBounds {
  readonly maxMembers?: number;
  readonly ttlMs?: number;
  readonly newcomersPerRelay?: number;
}

export class Roster {
  private readonly entries = new Map<string, RosterEntry>();
  /** When each relaying peer brought in its recent newcomers, oldest first. */
  private readonly introduced = new Map<string, number[]>();
  /** The `at` of the last report kept of each member that left the roster. */
  private readonly departed = new Map<string, number>();
  private readonly maxMembers: number;
  private readonly ttlMs: number;
  private readonly newcomersPerRelay: number;

  constructor(
    private readonly now: () => number,
    bounds: RosterBounds = {},
  ) {
    this.maxMembers = bounds.maxMembers ?? CLASS_MAX_MEMBERS;
    this.ttlMs = bounds.ttlMs ?? CLASS_MEMBER_TTL_MS;
    this.newcomersPerRelay = bounds.newcomersPerRelay ?? CLASS_NEWCOMERS_PER_RELAY;
  }

  /**
   * Whether a report relayed by `relay` may go into the roster (before its signature is checked).
   * `relay` null: not bounded (the member's own hand, or the teacher's node).
   */
  check(report: ClassReport, relay: string | null): ReportCheck {
    const last = this.entries.get(report.peerId);
    if (last) {
      if (report.at <= last.report.at) return 'stale';
      if (this.now() - last.heardAt < CLASS_MIN_REPORT_GAP_MS) return 'too-frequent';
      return 'ok';
    }
    this.expire();
    const left = this.departed.get(report.peerId);
    if (left !== undefined && report.at <= left) return 'stale';
    if (this.entries.size >= this.maxMembers) return 'full';
    if (
      relay !== null &&
      relay !== report.peerId &&
      this.recentNewcomers(relay).length >= this.newcomersPerRelay
    )
      return 'too-many-newcomers';
    return 'ok';
  }

  /** Keeps a verified report that passed `check`; true when its member is new to the roster. */
  add(report: ClassReport, relay: string | null): boolean {
    if (this.check(report, relay) !== 'ok') return false;
    const isNew = !this.entries.has(report.peerId);
    if (isNew && relay !== null && relay !== report.peerId) this.countNewcomer(relay);
    this.entries.delete(report.peerId); // re-inserted last: the map stays in order of hearing
    this.entries.set(report.peerId, { report, heardAt: this.now() });
    this.departed.delete(report.peerId);
    return isNew;
  }

  get(peerId: string): RosterEntry | undefined {
    this.expire();
    return this.entries.get(peerId);
  }

  list(): RosterEntry[] {
    this.expire();
    return [...this.entries.values()];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Forgets members not heard from for the TTL; true if any went. */
  expire(): boolean {
    const cutoff = this.now() - this.ttlMs;
    let gone = false;
    for (const [peer, entry] of this.entries) {
      if (entry.heardAt > cutoff) break; // in order of hearing: the rest are newer
      this.entries.delete(peer);
      this.remember(peer, entry.report.at);
      gone = true;
    }
    return gone;
  }

  private remember(peer: string, at: number): void {
    this.departed.set(peer, at);
    if (this.departed.size > MAX_DEPARTED_TRACKED) {
      const oldest = this.departed.keys().next();
      if (!oldest.done) this.departed.delete(oldest.value);
    }
  }

  /** The times `relay` brought in a newcomer within the window (older ones dropped). */
  private recentNewcomers(relay: string): number[] {
    const times = this.introduced.get(relay);
    if (!times) return [];
    const cutoff = this.now() - CLASS_NEWCOMER_WINDOW_MS;
    while (times.length > 0 && times[0]! <= cutoff) times.shift();
    if (times.length === 0) this.introduced.delete(relay);
    return times;
  }

  private countNewcomer(relay: string): void {
    const times = this.recentNewcomers(relay);
    this.introduced.delete(relay); // re-inserted last: the relay heard from longest ago goes first
    this.introduced.set(relay, [...times, this.now()]);
    if (this.introduced.size > MAX_RELAYS_TRACKED) {
      const oldest = this.introduced.keys().next();
      if (!oldest.done) this.introduced.delete(oldest.value);
    }
  }
}
