// Peer misbehaviour accounting, in the spirit of Bitcoin Core's ban score: each offence
// costs points, points slowly heal, and a peer whose score reaches 0 is banned for a
// while (bans.ts keeps the bans).

export const MAX_SCORE = 100;

/** Points lost per offence; MAX_SCORE points in total gets a peer banned. */
export const PENALTY = {
  invalidBlock: 25,
  invalidTx: 10,
  malformedFrame: 25,
  protocolViolation: 20,
  timeout: 2,
  /** More requests than the rate limit allows. */
  flood: 10,
} as const;

export type Offence = keyof typeof PENALTY;

/** Points healed per minute of good behaviour. */
const HEAL_PER_MINUTE = 1;
/** Keep the tables bounded even if many peers come and go. */
const MAX_TRACKED = 10_000;

interface ScoreRecord {
  lost: number;
  at: number;
  invalid: number;
  malleated: number;
}

export interface PenaltyOutcome {
  score: number;
  /** The score reached 0: the caller should disconnect, ban and reset() the peer. */
  shouldBan: boolean;
}

export class PeerScores {
  private readonly records = new Map<string, ScoreRecord>();
  constructor(private readonly now: () => number = Date.now) {}

  private record(id: string): ScoreRecord {
    let rec = this.records.get(id);
    const now = this.now();
    if (rec === undefined) {
      if (this.records.size >= MAX_TRACKED) this.prune();
      rec = { lost: 0, at: now, invalid: 0, malleated: 0 };
      this.records.set(id, rec);
    } else if (rec.lost > 0) {
      rec.lost = Math.max(0, rec.lost - ((now - rec.at) / 60_000) * HEAL_PER_MINUTE);
      rec.at = now;
    } else {
      rec.at = now;
    }
    return rec;
  }

  private prune(): void {
    for (const [id, rec] of this.records) {
      if (rec.lost === 0) this.records.delete(id);
    }
    if (this.records.size >= MAX_TRACKED) this.records.clear();
  }

  score(id: string): number {
    const rec = this.records.get(id);
    if (rec === undefined) return MAX_SCORE;
    return Math.round(MAX_SCORE - this.record(id).lost);
  }

  penalize(id: string, offence: Offence): PenaltyOutcome {
    const rec = this.record(id);
    if (offence === 'invalidBlock' || offence === 'invalidTx') rec.invalid++;
    rec.lost += PENALTY[offence];
    const score = Math.round(MAX_SCORE - rec.lost);
    return { score, shouldBan: score <= 0 };
  }

  /** Counts a copy corrupted in transit: noted, but not held against the peer. */
  noteMalleated(id: string): void {
    const rec = this.record(id);
    rec.invalid++;
    rec.malleated++;
  }

  counts(id: string): { invalid: number; malleated: number } {
    const rec = this.records.get(id);
    return { invalid: rec?.invalid ?? 0, malleated: rec?.malleated ?? 0 };
  }

  /** Forgets a peer's points (it comes back from a ban with a clean score). */
  reset(id: string): void {
    this.records.delete(id);
  }
}
