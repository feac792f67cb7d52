// The members a class member has heard from: each one's last report, at most CLASS_MAX_MEMBERS of them
// (when full, the one heard from longest ago goes), each forgotten CLASS_MEMBER_TTL_MS after it was heard.
import { CLASS_MAX_MEMBERS, CLASS_MEMBER_TTL_MS, type ClassReport, type RosterEntry } from './types.js';

/** Reports closer together than this from one member are ignored. */
export const CLASS_MIN_REPORT_GAP_MS = 1_000;

export type ReportCheck = 'ok' | 'stale' | 'too-frequent';

export class Roster {
  private readonly entries = new Map<string, RosterEntry>();

  constructor(
    private readonly now: () => number,
    private readonly maxMembers = CLASS_MAX_MEMBERS,
    private readonly ttlMs = CLASS_MEMBER_TTL_MS,
  ) {}

  /** Whether a report may replace the one kept of its member (before its signature is checked). */
  check(report: ClassReport): ReportCheck {
    const last = this.entries.get(report.peerId);
    if (!last) return 'ok';
    if (report.at <= last.report.at) return 'stale';
    if (this.now() - last.heardAt < CLASS_MIN_REPORT_GAP_MS) return 'too-frequent';
    return 'ok';
  }

  /** Keeps a verified report; true when its member is new to the roster. */
  add(report: ClassReport): boolean {
    this.expire();
    const isNew = !this.entries.has(report.peerId);
    if (isNew && this.entries.size >= this.maxMembers) this.evictOldest();
    this.entries.delete(report.peerId); // re-inserted last: the map stays in order of hearing
    this.entries.set(report.peerId, { report, heardAt: this.now() });
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
      gone = true;
    }
    return gone;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) this.entries.delete(oldest.value);
  }
}
