// Peer misbehaviour accounting, in the spirit of Bitcoin Core's ban score: each offence
// costs points, points slowly heal, and a peer whose score reaches 0 is banned for a
// while (bans.ts keeps the bans). Records are kept under a peer's key (peer-key.ts: its
// address off loopback), so a new peer id does not come with a clean score. What each outcome
// costs is decided in one place, judge.ts.

export const MAX_SCORE = 100;

/** Points lost per offence; MAX_SCORE points in total gets a peer banned. */
export const PENALTY = {
  invalidBlock: 25,
  invalidTx: 10,
  /** A message on an added topic (topics.ts) that its owner rejects: forged or malformed. */
  invalidMessage: 10,
  /** A block whose body does not match its header: the sender built it (Noise authenticates every byte). */
  mutatedBlock: 10,
  /** A block on a branch with too little work to be stored. */
  lowWork: 10,
  malformedFrame: 25,
  protocolViolation: 20,
  timeout: 2,
  /** More requests than the rate limit allows. */
  flood: 10,
} as const;

export type Offence = keyof typeof PENALTY;

/** Points healed per minute of good behaviour. */
const HEAL_PER_MINUTE = 1;
/** Most keys tracked; beyond, the least recently penalised clean record goes (never all of them). */
export const MAX_TRACKED = 10_000;

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
  /** In order of the last penalty (or first sight): the least recently penalised first. */
  private readonly records = new Map<string, ScoreRecord>();
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxTracked = MAX_TRACKED,
  ) {}

  get size(): number {
    return this.records.size;
  }

  private heal(rec: ScoreRecord, now: number): void {
    if (rec.lost > 0) rec.lost = Math.max(0, rec.lost - ((now - rec.at) / 60_000) * HEAL_PER_MINUTE);
    rec.at = now;
  }

  /** The record of `key`, moved to the end (the most recently penalised). */
  private touch(key: string): ScoreRecord {
    const now = this.now();
    let rec = this.records.get(key);
    if (rec === undefined) {
      if (this.records.size >= this.maxTracked) this.evictOne(now);
      rec = { lost: 0, at: now, invalid: 0, malleated: 0 };
    } else {
      this.heal(rec, now);
      this.records.delete(key);
    }
    this.records.set(key, rec);
    return rec;
  }

  /** Drops the least recently penalised record that has healed, or failing that, the least recent. */
  private evictOne(now: number): void {
    for (const [key, rec] of this.records) {
      this.heal(rec, now);
      if (rec.lost === 0) {
        this.records.delete(key);
        return;
      }
    }
    const oldest = this.records.keys().next();
    if (!oldest.done) this.records.delete(oldest.value);
  }

  score(key: string): number {
    const rec = this.records.get(key);
    if (rec === undefined) return MAX_SCORE;
    this.heal(rec, this.now());
    return Math.round(MAX_SCORE - rec.lost);
  }

  penalize(key: string, offence: Offence): PenaltyOutcome {
    const rec = this.touch(key);
    if (offence === 'invalidBlock' || offence === 'invalidTx' || offence === 'mutatedBlock') rec.invalid++;
    if (offence === 'mutatedBlock') rec.malleated++;
    rec.lost += PENALTY[offence];
    const score = Math.round(MAX_SCORE - rec.lost);
    return { score, shouldBan: score <= 0 };
  }

  /** Counts a corrupted copy that costs nothing (a transaction's): noted, not held against the peer. */
  noteMalleated(key: string): void {
    const rec = this.touch(key);
    rec.invalid++;
    rec.malleated++;
  }

  counts(key: string): { invalid: number; malleated: number } {
    const rec = this.records.get(key);
    return { invalid: rec?.invalid ?? 0, malleated: rec?.malleated ?? 0 };
  }

  /** Forgets a key's points (it comes back from a ban with a clean score). */
  reset(key: string): void {
    this.records.delete(key);
  }
}
