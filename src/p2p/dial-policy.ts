// The dialer's memory of each known peer and its rules: exponential backoff after failures, and
// forgetting a peer that has kept failing for long enough. Whom to dial is the address book's
// choice (addr-book.ts). Pure bookkeeping over an injected clock.
import type { Clock } from './clock.js';

export interface DialSettings {
  /** Outbound peers the dialer works towards when it knows of more. */
  minPeers: number;
  /** Wait after the first failure; doubled after each further one. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A peer is forgotten once it failed this many times in a row... */
  forgetAfterFailures: number;
  /** ...over at least this long. */
  forgetAfterMs: number;
}

export const DIAL_DEFAULTS: DialSettings = {
  minPeers: 4,
  backoffBaseMs: 2_000,
  backoffMaxMs: 10 * 60_000,
  forgetAfterFailures: 10,
  forgetAfterMs: 60 * 60_000,
};

export interface DialState {
  lastSeen?: number;
  failures: number;
  failingSince?: number;
  lastError?: string;
  nextDialAt?: number;
}

const MAX_ERROR_TEXT = 200;

export class DialPolicy {
  private readonly states = new Map<string, DialState>();

  constructor(
    private readonly clock: Clock,
    readonly settings: DialSettings = DIAL_DEFAULTS,
  ) {}

  backoffMs(failures: number): number {
    if (failures <= 0) return 0;
    const { backoffBaseMs, backoffMaxMs } = this.settings;
    return Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(failures - 1, 30));
  }

  state(id: string): DialState {
    return { ...(this.states.get(id) ?? { failures: 0 }) };
  }

  /** Restores what was saved (e.g. in the peer store) for a peer. */
  restore(id: string, state: DialState): void {
    this.states.set(id, { ...state });
  }

  succeeded(id: string): DialState {
    const state: DialState = { lastSeen: this.clock.now(), failures: 0 };
    this.states.set(id, state);
    return { ...state };
  }

  /** Records a failed dial; the peer is not tried again before its backoff has passed. */
  failed(id: string, error: string): DialState {
    const now = this.clock.now();
    const previous = this.states.get(id) ?? { failures: 0 };
    const failures = previous.failures + 1;
    const state: DialState = {
      lastSeen: previous.lastSeen,
      failures,
      failingSince: previous.failingSince ?? now,
      lastError: error.slice(0, MAX_ERROR_TEXT),
      nextDialAt: now + this.backoffMs(failures),
    };
    this.states.set(id, state);
    return { ...state };
  }

  canDial(id: string): boolean {
    const next = this.states.get(id)?.nextDialAt;
    return next === undefined || next <= this.clock.now();
  }

  shouldForget(id: string): boolean {
    const state = this.states.get(id);
    if (state?.failingSince === undefined) return false;
    const { forgetAfterFailures, forgetAfterMs } = this.settings;
    return state.failures >= forgetAfterFailures && this.clock.now() - state.failingSince >= forgetAfterMs;
  }

  drop(id: string): void {
    this.states.delete(id);
  }
}
