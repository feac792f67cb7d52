import { describe, expect, it } from 'vitest';
import { MAX_SCORE, PENALTY, PeerScores } from '../../../src/p2p/scoring.js';

function clock(start = 1_000_000) {
  const c = { now: start, read: () => c.now };
  return c;
}

describe('PeerScores', () => {
  it('starts clean and loses points per offence', () => {
    const scores = new PeerScores(clock().read);
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.penalize('p', 'invalidTx')).toEqual({
      score: MAX_SCORE - PENALTY.invalidTx,
      shouldBan: false,
    });
    expect(scores.counts('p')).toEqual({ invalid: 1, malleated: 0 });
  });

  it('asks for a ban when the score reaches zero; reset() starts the peer clean', () => {
    const scores = new PeerScores(clock().read);
    const outcomes = [1, 2, 3, 4].map(() => scores.penalize('p', 'invalidBlock'));
    expect(outcomes.map((o) => o.shouldBan)).toEqual([false, false, false, true]);
    scores.reset('p');
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.penalize('p', 'invalidBlock').shouldBan).toBe(false);
  });

  it('heals slowly with time', () => {
    const c = clock();
    const scores = new PeerScores(c.read);
    scores.penalize('p', 'malformedFrame');
    expect(scores.score('p')).toBe(75);
    c.now += 10 * 60_000;
    expect(scores.score('p')).toBe(85);
    c.now += 60 * 60_000;
    expect(scores.score('p')).toBe(MAX_SCORE);
  });

  it('counts malleated data without lowering the score', () => {
    const scores = new PeerScores(clock().read);
    scores.noteMalleated('p');
    expect(scores.score('p')).toBe(MAX_SCORE);
    expect(scores.counts('p')).toEqual({ invalid: 1, malleated: 1 });
  });
});

describe('progressBar', () => {
  it('draws the fraction done, clamped to 0..1', async () => {
    const { progressBar } = await import('../../../src/p2p/network.js');
    expect(progressBar(0.4)).toBe('[########------------] 40.0%');
    expect(progressBar(0, 4)).toBe('[----] 0.0%');
    expect(progressBar(2, 4)).toBe('[####] 100.0%');
  });
});
